// The signature policy in containers-policy.json(5)'s format, parsed without
// touching the disk: the global default and the docker transport's scopes
// (host, namespaces, repository, repository:tag or @digest, *.domain), each a
// list of requirements that must all accept an image. Other transports'
// scopes are read for validity and ignored: cricket pulls from registries only.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "image/reference.h"

namespace cricket::image::signature {

// Which claimed identity a signature must carry (signedIdentity.type).
enum class IdentityMatch {
  kMatchRepoDigestOrExact,  // the default: a tag pull wants repo:tag, a digest pull the repo
  kMatchExact,              // the signature names exactly the pulled reference
  kMatchRepository,         // any reference in the same repository (cosign's name-only identity)
  kExactReference,          // exactly `identity_reference`
  kExactRepository,         // the repository `identity_reference`
};

struct PublicKey {
  std::string name;  // for messages: the keyPath, or "keyData[<i>]"
  std::string pem;
};

struct Requirement {
  enum Type { kInsecureAcceptAnything, kReject, kSigstoreSigned };
  Type type = kReject;
  // kSigstoreSigned: keys from keyData/keyDatas (decoded) and the files named
  // by keyPath/keyPaths, which the loader reads into `keys`.
  std::vector<PublicKey> keys;
  std::vector<std::string> key_paths;
  IdentityMatch identity = IdentityMatch::kMatchRepoDigestOrExact;
  std::string identity_reference;  // kExactReference / kExactRepository
};

using Requirements = std::vector<Requirement>;

struct Policy {
  Requirements default_requirements;
  std::map<std::string, Requirements> docker;  // scope → requirements; "" = transport default
};

// Strict, as containers/image is: unknown fields, empty requirement lists,
// unsupported requirement types (signedBy, fulcio, pki, remapIdentity) and
// malformed scopes are InvalidArgument naming where they are.
absl::StatusOr<Policy> ParsePolicy(std::string_view json);

struct Scope {
  std::string name;  // "default", "docker" (the transport default) or the docker scope
  const Requirements* requirements = nullptr;
};

// The most specific scope for ref: repo:tag (or repo@digest), the repository,
// each shorter namespace, the host, *.domain wildcards (longest first), the
// docker transport's "", and the global default.
Scope SelectScope(const Policy& policy, const Reference& ref);

}  // namespace cricket::image::signature
