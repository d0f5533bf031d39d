#pragma once
// When a pass over pixels starts an OpenMP thread team. Below about a millisecond of
// work on one core the team costs more than it saves: after a region GNU OpenMP's workers
// keep spinning (the default active wait), and on a machine whose cores are hyperthread
// siblings that spin slows the serial rest of the run (B1-256 on 2 vCPUs: 14 ms with
// teams from 32k steps, 7 ms from 1M). Values never depend on it: every reduction is
// summed in a fixed order of rows or bands.
#include <cstddef>

namespace tilebragg {

// Kernel tiles: pixel x sub-pixel x layer x source x orientation steps.
constexpr double kThreadTeamMinSteps = 1 << 20;
// One-step-per-pixel passes: statistics, detector counts, output rows.
constexpr std::size_t kThreadTeamMinPixels = std::size_t(1) << 20;

}  // namespace tilebragg
