// Shared pieces of the CNI integration tests: a test base that owns a
// CniFixture, a LeakCheck and a NetworkManager, and pods with pinned netns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "network/network_manager.h"
#include "oci/sys/pinned_ns.h"
#include "tests/fixtures/cni_fixture.h"
#include "tests/fixtures/leak_check.h"

namespace cricket::network {

struct TestPod {
  sys::PinnedNamespace netns;
  PodNetwork net;
};

class CniIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The fixture's network; tests that want another override this.
  virtual testing::CniFixtureOptions FixtureOptions() const { return {}; }
  conf::Config::Cni CniConfig() const;
  std::unique_ptr<NetworkManager> NewManager() const;
  // A pod named `name` with its own pinned netns (not yet set up).
  TestPod MakePod(const std::string& name);
  // Filtered iptables rules (filter + nat) that CNI or this fixture made.
  std::vector<std::string> CniRules() const;
  // Host links whose name starts with "veth".
  std::vector<std::string> Veths() const;
  // GET http://host:port/ from `netns` ("" = the host) with busybox wget.
  // Whether `lo` is up inside `netns`.
  bool LoopbackUp(const std::string& netns) const;
  std::string HttpGet(const std::string& netns, const std::string& host, int port) const;

  std::unique_ptr<testing::LeakCheck> leak_;
  std::unique_ptr<testing::CniFixture> cni_;
  std::unique_ptr<NetworkManager> manager_;
  int pods_made_ = 0;
};

}  // namespace cricket::network
