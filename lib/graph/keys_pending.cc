// TEMPORARY stand-in for NormaliseKey until lib/graph/keys.cc lands (the lead deletes this
// file at merge): plates and vehicles are upper-cased with spaces removed; others unchanged.
#include <cctype>
#include <string>

#include "polegraph/keys.h"

namespace polegraph {

std::string NormaliseKey(NodeKind kind, std::string_view key) {
  if (kind != NodeKind::kPlate && kind != NodeKind::kVehicle) return std::string(key);
  std::string out;
  for (char c : key) {
    if (c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace polegraph
