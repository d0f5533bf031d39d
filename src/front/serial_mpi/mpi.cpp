// The MPI of the single-process program (mpi.h here): MPI is never initialised in it,
// so the queries answer so and every other call is an internal error.
#include "mpi.h"

#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] int not_here(const char* call) {
    std::fprintf(stderr, "tilebragg: internal error: %s in the single-process program (MPI runs in tilebragg-mpi)\n",
                 call);
    std::exit(3);
}

}  // namespace

extern "C" {

char tilebragg_serial_handles[16];

int MPI_Initialized(int* flag) {
    *flag = 0;
    return 0;
}
int MPI_Finalized(int* flag) {
    *flag = 0;
    return 0;
}
int MPI_Init(int*, char***) { not_here("MPI_Init"); }
int MPI_Init_thread(int*, char***, int, int*) { not_here("MPI_Init_thread"); }
int MPI_Finalize(void) { not_here("MPI_Finalize"); }
int MPI_Abort(MPI_Comm, int) { not_here("MPI_Abort"); }
double MPI_Wtime(void) { not_here("MPI_Wtime"); }
int MPI_Comm_rank(MPI_Comm, int*) { not_here("MPI_Comm_rank"); }
int MPI_Comm_size(MPI_Comm, int*) { not_here("MPI_Comm_size"); }
int MPI_Comm_free(MPI_Comm*) { not_here("MPI_Comm_free"); }
int MPI_Barrier(MPI_Comm) { not_here("MPI_Barrier"); }
int MPI_Bcast(void*, int, MPI_Datatype, int, MPI_Comm) { not_here("MPI_Bcast"); }
int MPI_Allreduce(const void*, void*, int, MPI_Datatype, MPI_Op, MPI_Comm) { not_here("MPI_Allreduce"); }
int MPI_Allgather(const void*, int, MPI_Datatype, void*, int, MPI_Datatype, MPI_Comm) { not_here("MPI_Allgather"); }
int MPI_Allgatherv(const void*, int, MPI_Datatype, void*, const int*, const int*, MPI_Datatype, MPI_Comm) {
    not_here("MPI_Allgatherv");
}
int MPI_Isend(const void*, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request*) { not_here("MPI_Isend"); }
int MPI_Irecv(void*, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request*) { not_here("MPI_Irecv"); }
int MPI_Iprobe(int, int, MPI_Comm, int*, MPI_Status*) { not_here("MPI_Iprobe"); }
int MPI_Waitall(int, MPI_Request*, MPI_Status*) { not_here("MPI_Waitall"); }
int MPI_Type_vector(int, int, int, MPI_Datatype, MPI_Datatype*) { not_here("MPI_Type_vector"); }
int MPI_Type_commit(MPI_Datatype*) { not_here("MPI_Type_commit"); }
int MPI_Type_free(MPI_Datatype*) { not_here("MPI_Type_free"); }
int MPI_Info_free(MPI_Info*) { not_here("MPI_Info_free"); }
int MPI_Win_allocate(MPI_Aint, int, MPI_Info, MPI_Comm, void*, MPI_Win*) { not_here("MPI_Win_allocate"); }
int MPI_Win_lock_all(int, MPI_Win) { not_here("MPI_Win_lock_all"); }
int MPI_Win_unlock_all(MPI_Win) { not_here("MPI_Win_unlock_all"); }
int MPI_Win_flush(int, MPI_Win) { not_here("MPI_Win_flush"); }
int MPI_Win_free(MPI_Win*) { not_here("MPI_Win_free"); }
int MPI_Fetch_and_op(const void*, void*, MPI_Datatype, int, MPI_Aint, MPI_Op, MPI_Win) { not_here("MPI_Fetch_and_op"); }

}  // extern "C"
