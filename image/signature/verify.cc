// EVP_DigestVerify over a PEM public key. The key is parsed again per check:
// pulls are rare and signatures few, and an EVP_PKEY shared across pulling
// threads would need its own lifetime rules.
#include "image/signature/verify.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace cricket::image::signature {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

absl::StatusOr<Pkey> ReadKey(const PublicKey& key) {
  std::unique_ptr<BIO, int (*)(BIO*)> bio(
      BIO_new_mem_buf(key.pem.data(), static_cast<int>(key.pem.size())), BIO_free);
  if (!bio) return absl::ResourceExhaustedError("BIO_new_mem_buf");
  Pkey pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) {
    ERR_clear_error();  // the queue is per thread; curl's TLS errors must not see ours
    return absl::InvalidArgumentError(
        absl::StrCat("key ", key.name, ": not a PEM public key (\"-----BEGIN PUBLIC KEY-----\")"));
  }
  int id = EVP_PKEY_get_base_id(pkey.get());
  if (id != EVP_PKEY_EC && id != EVP_PKEY_RSA) {
    return absl::InvalidArgumentError(
        absl::StrCat("key ", key.name, ": a ", OBJ_nid2sn(id), " key; ECDSA or RSA are supported"));
  }
  return pkey;
}

}  // namespace

absl::Status CheckPublicKey(const PublicKey& key) { return ReadKey(key).status(); }

absl::Status VerifySignature(const PublicKey& key, std::string_view payload,
                             std::string_view signature) {
  auto pkey = ReadKey(key);
  if (!pkey.ok()) return pkey.status();
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx) return absl::ResourceExhaustedError("EVP_MD_CTX_new");
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey->get()) != 1) {
    return absl::InternalError(absl::StrCat("key ", key.name, ": EVP_DigestVerifyInit failed"));
  }
  int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(payload.data()),
                            payload.size());
  if (ok != 1) {
    ERR_clear_error();
    return absl::PermissionDeniedError(
        absl::StrCat("signature does not verify with key ", key.name));
  }
  return absl::OkStatus();
}

}  // namespace cricket::image::signature
