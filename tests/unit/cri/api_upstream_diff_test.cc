// cri/api/api.proto against the upstream k8s.io/cri-api definition, item by
// item: every message, field (name, number, type, label, type name), enum
// value and RPC (input, output, streaming) of the compiled descriptor is
// listed and diffed against tests/data/cri-api/, a listing of the upstream
// api.proto made with the same format (its header names the upstream version).
// A field added, removed or renumbered on either side fails with the item named.
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cri/api/api.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"

namespace cricket::cri {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

constexpr char kReference[] = CRICKET_SOURCE_DIR "/tests/data/cri-api/runtime-v1.items";

std::string Label(const FieldDescriptor* f) {
  if (f->is_map()) return "map";
  return f->is_repeated() ? "repeated" : "singular";
}

std::string TypeOf(const FieldDescriptor* f) {
  std::string t = f->type_name();
  if (f->message_type() != nullptr) absl::StrAppend(&t, " ", f->message_type()->full_name());
  if (f->enum_type() != nullptr) absl::StrAppend(&t, " ", f->enum_type()->full_name());
  return t;
}

void ListEnum(const EnumDescriptor* e, std::set<std::string>* out) {
  out->insert(absl::StrCat("enum ", e->full_name()));
  for (int i = 0; i < e->value_count(); i++) {
    out->insert(absl::StrCat("value ", e->full_name(), ".", e->value(i)->name(), " = ",
                             e->value(i)->number()));
  }
}

void ListMessage(const Descriptor* d, std::set<std::string>* out) {
  // Map entries are the compiler's, and the map field's line carries their types.
  if (d->options().map_entry()) return;
  out->insert(absl::StrCat("message ", d->full_name()));
  for (int i = 0; i < d->field_count(); i++) {
    const FieldDescriptor* f = d->field(i);
    std::string line = absl::StrCat("field ", d->full_name(), ".", f->name(), " = ", f->number(),
                                    " ", Label(f), " ", TypeOf(f));
    if (f->is_map()) {
      absl::StrAppend(&line, " <", TypeOf(f->message_type()->map_key()), ", ",
                      TypeOf(f->message_type()->map_value()), ">");
    }
    out->insert(line);
  }
  for (int i = 0; i < d->nested_type_count(); i++) ListMessage(d->nested_type(i), out);
  for (int i = 0; i < d->enum_type_count(); i++) ListEnum(d->enum_type(i), out);
}

std::set<std::string> Items(const FileDescriptor* file) {
  std::set<std::string> out;
  out.insert(absl::StrCat("package ", file->package()));
  for (int i = 0; i < file->message_type_count(); i++) ListMessage(file->message_type(i), &out);
  for (int i = 0; i < file->enum_type_count(); i++) ListEnum(file->enum_type(i), &out);
  for (int i = 0; i < file->service_count(); i++) {
    const auto* s = file->service(i);
    out.insert(absl::StrCat("service ", s->full_name()));
    for (int j = 0; j < s->method_count(); j++) {
      const auto* m = s->method(j);
      out.insert(absl::StrCat("rpc ", s->full_name(), ".", m->name(), "(",
                              m->client_streaming() ? "stream " : "", m->input_type()->full_name(),
                              ") returns (", m->server_streaming() ? "stream " : "",
                              m->output_type()->full_name(), ")"));
    }
  }
  return out;
}

std::set<std::string> ReadReference(std::string* header) {
  std::ifstream in(kReference);
  std::set<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      absl::StrAppend(header, line, "\n");
      continue;
    }
    out.insert(line);
  }
  return out;
}

TEST(CriApiUpstream, EveryItemMatchesTheUpstreamListing) {
  std::string header;
  const std::set<std::string> upstream = ReadReference(&header);
  ASSERT_GT(upstream.size(), 500u) << "no upstream listing at " << kReference;
  const std::set<std::string> ours = Items(::runtime::v1::VersionRequest::descriptor()->file());
  std::vector<std::string> extra, missing;
  for (const auto& item : ours) {
    if (!upstream.count(item)) extra.push_back(item);
  }
  for (const auto& item : upstream) {
    if (!ours.count(item)) missing.push_back(item);
  }
  for (const auto& item : extra) ADD_FAILURE() << "in cri/api/api.proto, not upstream: " << item;
  for (const auto& item : missing) ADD_FAILURE() << "upstream, not in cri/api/api.proto: " << item;
  EXPECT_TRUE(extra.empty() && missing.empty()) << "upstream listing:\n" << header;
}

// The listing's own consistency: the RPCs the kubelet of this version calls
// are there, so an empty or truncated listing cannot pass the diff above.
TEST(CriApiUpstream, ListingHasTheNewestRpcsAndFields) {
  std::string header;
  const std::set<std::string> upstream = ReadReference(&header);
  for (const char* item : {
           "rpc runtime.v1.ImageService.StreamImages(runtime.v1.StreamImagesRequest) returns "
           "(stream runtime.v1.StreamImagesResponse)",
           "rpc runtime.v1.RuntimeService.UpdatePodSandboxResources(runtime.v1."
           "UpdatePodSandboxResourcesRequest) returns (runtime.v1.UpdatePodSandboxResourcesResponse)",
           "field runtime.v1.Mount.image_sub_path = 10 singular string",
           "field runtime.v1.ContainerStatus.stop_signal = 19 singular enum runtime.v1.Signal",
           "field runtime.v1.PodSandboxStatusResponse.containers_statuses = 3 repeated message "
           "runtime.v1.ContainerStatus",
           "field runtime.v1.RuntimeFeatures.user_namespaces_host_network = 2 singular bool",
       }) {
    EXPECT_TRUE(upstream.count(item)) << item;
  }
  EXPECT_NE(header.find("kubernetes"), std::string::npos) << header;
}

}  // namespace
}  // namespace cricket::cri
