#pragma once
// Experiment -> the arrays the pixel kernel reads, converted once to the kernel's
// precision T and units (Angstrom for the crystal and the beam, m for the detector).
// KernelData<T> owns them on the host and hands out a KernelView<T> of raw pointers;
// a GPU backend copies the same arrays to its device and makes a view of those.
//
// The structure-factor box is the largest array and the same for every image of a
// series, so it lives in its own StructureFactorTable, built once and shared.
#include <memory>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/kernel_view.hpp>

namespace tilebragg {

template <typename T>
class StructureFactorTable {
public:
    // Shares `grid` (its doubles serve interpolation and, for T = double, the nearest
    // lookup too).
    StructureFactorTable(std::shared_ptr<const HklGrid> grid, bool interpolate, double default_F);
    const StructureFactorView<T>& view() const { return view_; }
    const std::shared_ptr<const HklGrid>& grid() const { return grid_; }

private:
    std::shared_ptr<const HklGrid> grid_;
    std::vector<T> F_;  // the box in T; empty when T is double (the grid's own array serves)
    StructureFactorView<T> view_;
};

template <typename T>
std::shared_ptr<const StructureFactorTable<T>> make_structure_factor_table(const Experiment& e);

template <typename T>
class KernelData {
public:
    // `table`: a table made from an Experiment of the same inputs (a series shares one);
    // null: made here from `e`. The view points into `e` (its mask): `e` must outlive
    // this object.
    explicit KernelData(const Experiment& e, std::shared_ptr<const StructureFactorTable<T>> table = nullptr);
    KernelData(const KernelData&) = delete;  // the view points into this object
    KernelData& operator=(const KernelData&) = delete;

    const KernelView<T>& view() const { return view_; }
    const std::shared_ptr<const StructureFactorTable<T>>& table() const { return table_; }

    // The arrays behind the view, for a backend that copies them elsewhere.
    const std::vector<Vec3T<T>>& incident() const { return incident_; }
    const std::vector<T>& inv_lambda() const { return inv_lambda_; }
    const std::vector<Vec3T<T>>& e_in() const { return e_in_; }
    const std::vector<Vec3T<T>>& b_in() const { return b_in_; }
    const std::vector<Vec3T<T>>& a() const { return a_; }
    const std::vector<Vec3T<T>>& b() const { return b_; }
    const std::vector<Vec3T<T>>& c() const { return c_; }

private:
    std::vector<Vec3T<T>> incident_, e_in_, b_in_, a_, b_, c_;
    std::vector<T> inv_lambda_;
    std::shared_ptr<const StructureFactorTable<T>> table_;
    KernelView<T> view_;
};

}  // namespace tilebragg
