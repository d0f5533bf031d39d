// -backend and the GPU of a rank, without a GPU: the pure rules of backend_choice.hpp,
// the option itself, and what make_renderer answers in this build.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include <tilebragg/backend_choice.hpp>
#include <tilebragg/command_line.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/renderer.hpp>

using namespace tilebragg;

namespace {

using Env = std::map<std::string, std::string>;

int local_rank_in(const Env& env) {
    return node_local_rank([&](const char* name) -> const char* {
        const auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    });
}

Backend parsed_backend(const std::string& value) {
    return parse_command_line({"tilebragg", "-backend", value}).params.backend;
}

}  // namespace

TEST(BackendChoice, CpuIsAlwaysCpu) {
    EXPECT_EQ(resolve_backend(Backend::Cpu, true, 4), Backend::Cpu);
    EXPECT_EQ(resolve_backend(Backend::Cpu, false, 0), Backend::Cpu);
}

TEST(BackendChoice, AutoTakesAGpuWhereOneIsVisible) {
    EXPECT_EQ(resolve_backend(Backend::Auto, true, 1), Backend::Cuda);
    EXPECT_EQ(resolve_backend(Backend::Auto, true, 0), Backend::Cpu);
    EXPECT_EQ(resolve_backend(Backend::Auto, false, 2), Backend::Cpu) << "a build without CUDA cannot use a GPU";
}

TEST(BackendChoice, CudaThatCannotRunIsAnInputError) {
    EXPECT_EQ(resolve_backend(Backend::Cuda, true, 2), Backend::Cuda);
    try {
        resolve_backend(Backend::Cuda, false, 0);
        FAIL() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("built without CUDA"), std::string::npos) << e.what();
    }
    try {
        resolve_backend(Backend::Cuda, true, 0, "no CUDA-capable device is detected");
        FAIL() << "no InputError";
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("no CUDA GPU is visible"), std::string::npos) << what;
        EXPECT_NE(what.find("no CUDA-capable device is detected"), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << "one line";
    }
}

TEST(BackendChoice, LocalRankFromTheLauncher) {
    EXPECT_EQ(local_rank_in({}), 0) << "started alone";
    EXPECT_EQ(local_rank_in({{"OMPI_COMM_WORLD_LOCAL_RANK", "3"}}), 3);
    EXPECT_EQ(local_rank_in({{"SLURM_LOCALID", "5"}}), 5);
    EXPECT_EQ(local_rank_in({{"OMPI_COMM_WORLD_LOCAL_RANK", "2"}, {"SLURM_LOCALID", "0"}}), 2)
        << "mpirun inside an allocation: Open MPI's own rank wins over its daemon's SLURM_LOCALID";
    EXPECT_EQ(local_rank_in({{"OMPI_COMM_WORLD_LOCAL_RANK", ""}, {"SLURM_LOCALID", "1"}}), 1);
    for (const char* bad : {"x", "-1", "2a", "99999999999"})
        EXPECT_THROW(local_rank_in({{"SLURM_LOCALID", bad}}), InputError) << bad;
}

TEST(BackendChoice, RanksShareTheGpusRoundRobin) {
    EXPECT_EQ(gpu_for_local_rank(0, 4), 0);
    EXPECT_EQ(gpu_for_local_rank(3, 4), 3);
    EXPECT_EQ(gpu_for_local_rank(5, 4), 1);
    EXPECT_EQ(gpu_for_local_rank(7, 1), 0);
}

TEST(BackendChoice, OptionValues) {
    EXPECT_EQ(parse_command_line({"tilebragg"}).params.backend, Backend::Cpu) << "the default";
    EXPECT_EQ(parsed_backend("cpu"), Backend::Cpu);
    EXPECT_EQ(parsed_backend("cuda"), Backend::Cuda);
    EXPECT_EQ(parsed_backend("auto"), Backend::Auto);
    EXPECT_THROW(parsed_backend("gpu"), InputError);
}

TEST(BackendChoice, FactoryGivesTheCpuRendererForCpu) {
    EXPECT_EQ(make_renderer(Backend::Cpu, Precision::Float)->backend(), "cpu");
    EXPECT_EQ(make_renderer(Backend::Cpu, Precision::Double)->backend(), "cpu");
}
