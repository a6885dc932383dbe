// The JSON form of the OCI spec (oci/spec.h): the one reader and the one
// writer of config.json and of its parts that travel alone (an exec's
// "process", `update --resources`, a Localhost seccomp profile). Parse
// errors are InvalidArgument and name the JSON path ("process.args: must be
// an array of strings"); unknown fields are ignored, except in seccomp
// objects, where they are kept for the writer (Seccomp::extras).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "absl/status/statusor.h"
#include "oci/spec.h"

namespace cricket::oci {

absl::StatusOr<Spec> SpecFromJson(const nlohmann::json& j);
absl::StatusOr<Spec> ParseSpec(const std::string& text);
absl::StatusOr<Process> ProcessFromJson(const nlohmann::json& j, const std::string& path);
// Reads <bundle>/config.json; messages start with "config.json: ". With
// `doc`, also hands back the parsed document (what state.json keeps).
absl::StatusOr<Spec> LoadSpec(const std::string& bundle, nlohmann::json* doc = nullptr);
// A seccomp profile file (a linux.seccomp object); messages name `path`.
absl::StatusOr<Seccomp> ParseSeccompProfile(const std::string& text, const std::string& path);
// linux.resources, alone (`update --resources`) or inside a spec. Unset
// fields stay unset (std::nullopt), distinct from 0.
absl::StatusOr<cgroup::Resources> ResourcesFromJson(const nlohmann::json& j);

nlohmann::json SpecToJson(const Spec& s);
// config.json's text: what a bundle holds.
std::string SpecToText(const Spec& s);
nlohmann::json ProcessToJson(const Process& p);
nlohmann::json SeccompToJson(const Seccomp& s);
// Only the set fields, with the runtime-spec's key names.
nlohmann::json ResourcesToJson(const cgroup::Resources& r);

}  // namespace cricket::oci
