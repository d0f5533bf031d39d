#pragma once

namespace tilebragg::golden {

// Registers GoldenHeader.<case> for every golden case that has an int.img. The case
// list is only known at run time, hence registration from main() rather than TEST().
void register_header_tests();

}  // namespace tilebragg::golden
