// sha256 with OpenSSL's EVP interface; digest strings as the OCI spec writes them.
#include "image/digest.h"

#include <openssl/evp.h>

#include "absl/strings/str_cat.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::image {

struct Sha256::Ctx {
  EVP_MD_CTX* md = nullptr;
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  // Allocation failure is fatal (STYLE: Envoy's rule); EVP_sha256 init cannot fail otherwise.
  if (ctx_->md == nullptr || EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) != 1) abort();
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_->md); }

void Sha256::Update(const void* data, size_t len) {
  if (len > 0) EVP_DigestUpdate(ctx_->md, data, len);
}

std::string Sha256::Finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_->md, out, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "sha256:";
  for (unsigned int i = 0; i < n; ++i) {
    s.push_back(kHex[out[i] >> 4]);
    s.push_back(kHex[out[i] & 15]);
  }
  return s;
}

std::string Sha256String(std::string_view data) {
  Sha256 h;
  h.Update(data.data(), data.size());
  return h.Finish();
}

absl::StatusOr<Digest> ParseDigest(std::string_view s) {
  std::string str(s);
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("digest \"", str, "\": missing algorithm"));
  }
  Digest d{std::string(s.substr(0, colon)), std::string(s.substr(colon + 1))};
  if (d.algorithm != "sha256") {
    return absl::InvalidArgumentError(
        absl::StrCat("digest \"", str, "\": unsupported algorithm \"", d.algorithm, "\""));
  }
  if (d.hex.size() != 64) {
    return absl::InvalidArgumentError(absl::StrCat("digest \"", str, "\": sha256 needs 64 hex chars"));
  }
  for (char c : d.hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return absl::InvalidArgumentError(
          absl::StrCat("digest \"", str, "\": not lowercase hex"));
    }
  }
  return d;
}

absl::Status DigestVerifier::Update(const char* data, size_t len) {
  written_ += static_cast<int64_t>(len);
  if (expected_size_ >= 0 && written_ > expected_size_) {
    return absl::DataLossError(absl::StrCat("blob ", expected_, " is larger than its descriptor's ",
                                            expected_size_, " bytes"));
  }
  sha_.Update(data, len);
  return absl::OkStatus();
}

absl::Status DigestVerifier::Verify() {
  if (expected_size_ >= 0 && written_ != expected_size_) {
    return absl::DataLossError(absl::StrCat("blob ", expected_, " is truncated: got ", written_,
                                            " of ", expected_size_, " bytes"));
  }
  std::string got = sha_.Finish();
  if (got != expected_) {
    return absl::DataLossError(absl::StrCat("blob ", expected_, " has digest ", got));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ListDigestDir(const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, sys::ListDir(dir));
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (ParseDigest("sha256:" + n).ok()) out.push_back("sha256:" + n);
  }
  return out;
}

std::vector<std::string> ChainIds(const std::vector<std::string>& diff_ids) {
  std::vector<std::string> out;
  for (const std::string& d : diff_ids) {
    out.push_back(out.empty() ? d : Sha256String(out.back() + " " + d));
  }
  return out;
}

}  // namespace cricket::image
