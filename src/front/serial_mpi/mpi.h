/* The MPI of the single-process program (src/front/): the subset of MPI's C interface
 * that tilebragg's sources name, for a process that MPI never starts. The program
 * replaces itself with tilebragg-mpi before anything could initialise MPI (a launcher in
 * the environment), so every call here answers "not initialised" or, for calls that
 * need a running MPI, stops with an internal error (none is reached: the callers test
 * mpi_active() first). With this header in front of the MPI installation's, the objects
 * that talk MPI compile without it and the program loads no MPI library at start. */
#ifndef TILEBRAGG_SERIAL_MPI_H
#define TILEBRAGG_SERIAL_MPI_H

#include <stddef.h> /* NOLINT(modernize-deprecated-headers): C and C++ read this header */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tilebragg_serial_comm* MPI_Comm;
typedef struct tilebragg_serial_datatype* MPI_Datatype;
typedef struct tilebragg_serial_op* MPI_Op;
typedef struct tilebragg_serial_info* MPI_Info;
typedef struct tilebragg_serial_win* MPI_Win;
typedef struct tilebragg_serial_request* MPI_Request;
typedef struct tilebragg_serial_status {
    int MPI_SOURCE, MPI_TAG, MPI_ERROR;
} MPI_Status;
typedef ptrdiff_t MPI_Aint;

/* Handles are never dereferenced, only compared: distinct addresses inside one array
 * (an integer cast to a pointer would do, but defeats the optimiser's alias analysis). */
extern char tilebragg_serial_handles[16];
#define TILEBRAGG_SERIAL_HANDLE(type, n) ((type)(void*)(tilebragg_serial_handles + (n)))
#define MPI_COMM_NULL ((MPI_Comm)0)
#define MPI_COMM_WORLD TILEBRAGG_SERIAL_HANDLE(MPI_Comm, 1)
#define MPI_WIN_NULL ((MPI_Win)0)
#define MPI_INFO_NULL ((MPI_Info)0)
#define MPI_BYTE TILEBRAGG_SERIAL_HANDLE(MPI_Datatype, 1)
#define MPI_CHAR TILEBRAGG_SERIAL_HANDLE(MPI_Datatype, 2)
#define MPI_INT TILEBRAGG_SERIAL_HANDLE(MPI_Datatype, 3)
#define MPI_LONG TILEBRAGG_SERIAL_HANDLE(MPI_Datatype, 4)
#define MPI_LONG_LONG TILEBRAGG_SERIAL_HANDLE(MPI_Datatype, 5)
#define MPI_FLOAT TILEBRAGG_SERIAL_HANDLE(MPI_Datatype, 6)
#define MPI_DOUBLE TILEBRAGG_SERIAL_HANDLE(MPI_Datatype, 7)
#define MPI_MAX TILEBRAGG_SERIAL_HANDLE(MPI_Op, 1)
#define MPI_MIN TILEBRAGG_SERIAL_HANDLE(MPI_Op, 2)
#define MPI_SUM TILEBRAGG_SERIAL_HANDLE(MPI_Op, 3)
#define MPI_NO_OP TILEBRAGG_SERIAL_HANDLE(MPI_Op, 4)
#define MPI_IN_PLACE ((void*)(tilebragg_serial_handles + 15))
#define MPI_STATUSES_IGNORE ((MPI_Status*)0)
#define MPI_STATUS_IGNORE ((MPI_Status*)0)
#define MPI_ANY_SOURCE (-1)
#define MPI_ANY_TAG (-1)
#define MPI_THREAD_FUNNELED 1

int MPI_Initialized(int* flag);
int MPI_Finalized(int* flag);
int MPI_Init(int* argc, char*** argv);
int MPI_Init_thread(int* argc, char*** argv, int required, int* provided);
int MPI_Finalize(void);
int MPI_Abort(MPI_Comm comm, int code);
double MPI_Wtime(void);
int MPI_Comm_rank(MPI_Comm comm, int* rank);
int MPI_Comm_size(MPI_Comm comm, int* size);
int MPI_Comm_free(MPI_Comm* comm);
int MPI_Barrier(MPI_Comm comm);
int MPI_Bcast(void* buffer, int count, MPI_Datatype type, int root, MPI_Comm comm);
int MPI_Allreduce(const void* in, void* out, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm);
int MPI_Allgather(const void* in, int in_count, MPI_Datatype in_type, void* out, int out_count, MPI_Datatype out_type,
                  MPI_Comm comm);
int MPI_Allgatherv(const void* in, int in_count, MPI_Datatype in_type, void* out, const int* counts,
                   const int* displacements, MPI_Datatype out_type, MPI_Comm comm);
int MPI_Isend(const void* buffer, int count, MPI_Datatype type, int to, int tag, MPI_Comm comm, MPI_Request* request);
int MPI_Irecv(void* buffer, int count, MPI_Datatype type, int from, int tag, MPI_Comm comm, MPI_Request* request);
int MPI_Iprobe(int from, int tag, MPI_Comm comm, int* flag, MPI_Status* status);
int MPI_Waitall(int count, MPI_Request* requests, MPI_Status* statuses);
int MPI_Type_vector(int count, int length, int stride, MPI_Datatype old_type, MPI_Datatype* new_type);
int MPI_Type_commit(MPI_Datatype* type);
int MPI_Type_free(MPI_Datatype* type);
int MPI_Info_free(MPI_Info* info);
int MPI_Win_allocate(MPI_Aint bytes, int unit, MPI_Info info, MPI_Comm comm, void* base, MPI_Win* win);
int MPI_Win_lock_all(int assertion, MPI_Win win);
int MPI_Win_unlock_all(MPI_Win win);
int MPI_Win_flush(int rank, MPI_Win win);
int MPI_Win_free(MPI_Win* win);
int MPI_Fetch_and_op(const void* in, void* out, MPI_Datatype type, int rank, MPI_Aint displacement, MPI_Op op,
                     MPI_Win win);

#ifdef __cplusplus
}
#endif

#endif
