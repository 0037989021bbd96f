// The field rules of ValidateFields compiled per message type (internal/field_checks.h): which
// fields have a rule, enum values as dense tables, coordinate limits, the sub-message types,
// and a field-number index for the wire check. Cost: once per type and thread.
#include "ingest/internal/field_checks.h"

#include <algorithm>
#include <unordered_map>

#include "polegraph/common.pb.h"

namespace polegraph::ingest_internal {
namespace {

using google::protobuf::FieldDescriptor;

// The wire type a field of this type is encoded with (unpacked).
int WireTypeOf(FieldDescriptor::Type t) {
  switch (t) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
      return 1;
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
      return 5;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
    case FieldDescriptor::TYPE_MESSAGE:
      return 2;
    case FieldDescriptor::TYPE_GROUP:
      return 3;
    default:  // varints: bool, enum, (s|u)int32/64
      return 0;
  }
}

void Compile(const google::protobuf::Descriptor* d, TypeChecks* out) {
  std::vector<const FieldDescriptor*> fields;
  int max_number = 0;
  for (int i = 0; i < d->field_count(); ++i) {
    fields.push_back(d->field(i));
    max_number = std::max(max_number, d->field(i)->number());
  }
  std::sort(fields.begin(), fields.end(), [](const FieldDescriptor* a, const FieldDescriptor* b) {
    return a->number() < b->number();
  });
  // Field numbers may reach 2^29; only small ones get a dense index (the rest are left to
  // ValidateFields by the wire check).
  out->by_number.assign(static_cast<std::size_t>(std::min(max_number, 4096)) + 1, kUnknownField);
  out->wire_type.assign(out->by_number.size(), 0);
  for (const FieldDescriptor* f : fields) {
    FieldCheck c;
    c.field = f;
    c.repeated = f->is_repeated();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        c.kind = FieldCheck::Kind::kText;
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        c.kind = FieldCheck::Kind::kEnum;
        const google::protobuf::EnumDescriptor* e = f->enum_type();
        int lo = e->value(0)->number(), hi = lo;
        for (int i = 0; i < e->value_count(); ++i) {
          lo = std::min(lo, e->value(i)->number());
          hi = std::max(hi, e->value(i)->number());
        }
        if (static_cast<std::int64_t>(hi) - lo < 4096) {
          c.enum_min = lo;
          c.valid.assign(static_cast<std::size_t>(hi - lo) + 1, false);
          for (int i = 0; i < e->value_count(); ++i) c.valid[e->value(i)->number() - lo] = true;
        } else {
          c.wire_ok = false;
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_INT64:
        c.kind = FieldCheck::Kind::kTime;
        c.wire_ok = f->type() == FieldDescriptor::TYPE_INT64;
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
      case FieldDescriptor::CPPTYPE_DOUBLE:
        c.kind = f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT ? FieldCheck::Kind::kFloat
                                                                : FieldCheck::Kind::kDouble;
        c.limit = f->name() == "latitude" ? 90 : f->name() == "longitude" ? 180 : 0;
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        c.kind = FieldCheck::Kind::kMessage;
        c.date = f->message_type() == pb::Date::descriptor();
        c.wire_ok = f->type() == FieldDescriptor::TYPE_MESSAGE;  // not a group
        break;
      default:  // no rule for booleans and other integers
        if (f->number() < static_cast<int>(out->by_number.size())) {
          const auto n = static_cast<std::size_t>(f->number());
          out->by_number[n] = kNoRule;
          out->wire_type[n] = static_cast<std::uint8_t>(
              WireTypeOf(f->type()) | (f->is_packable() ? 0x80 : 0));
        }
        continue;
    }
    if (f->number() < static_cast<int>(out->by_number.size())) {
      out->by_number[static_cast<std::size_t>(f->number())] =
          static_cast<std::int32_t>(out->checks.size());
    }
    out->checks.push_back(std::move(c));
  }
}

}  // namespace

const TypeChecks& ChecksOf(const google::protobuf::Descriptor* type) {
  thread_local std::unordered_map<const google::protobuf::Descriptor*, TypeChecks> cache;
  auto it = cache.find(type);
  if (it != cache.end()) return it->second;
  TypeChecks& t = cache[type];  // node-based: stays put while sub-types are added
  Compile(type, &t);
  for (FieldCheck& c : t.checks) {
    if (c.kind == FieldCheck::Kind::kMessage) c.sub = &ChecksOf(c.field->message_type());
  }
  return t;
}

}  // namespace polegraph::ingest_internal
