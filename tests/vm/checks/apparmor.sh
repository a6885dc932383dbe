# AppArmor for real: cricketd loaded cricket-default at start; RuntimeDefault
# confines the container in it (seen from inside in /proc/self/attr/current,
# by the kernel for the container's init, and by a denied action: mount,
# even with CAP_SYS_ADMIN); Localhost applies a profile the node loaded
# (here one denying writes under /tmp), and is refused clearly when the
# profile is not loaded; Unconfined applies none.
. "$(dirname "$0")/../lib.sh"
trap remove_pods EXIT

expect_eq "AppArmor enabled" Y "$(cat /sys/module/apparmor/parameters/enabled)"
expect_match "cricket-default loaded" "^cricket-default \(enforce\)" \
  "$(grep '^cricket-default ' /sys/kernel/security/apparmor/profiles)"
apparmor_parser -r <<'PROFILE'
#include <tunables/global>
profile vm-no-tmp-writes flags=(attach_disconnected,mediate_deleted) {
  #include <abstractions/base>
  file,
  deny /tmp/** w,
}
PROFILE

pod=$(new_pod aa vm-aa)
sysadmin='"capabilities": {"add_capabilities": ["SYS_ADMIN"]}'
def=$(new_ctr "$pod" aa default '["sleep", "1000"]' \
  "\"security_context\": {$sysadmin, \"apparmor\": {\"profile_type\": \"RuntimeDefault\"}}")
expect_eq "RuntimeDefault, from inside" "cricket-default (enforce)" \
  "$(cricketctl exec -s "$def" cat /proc/self/attr/current 2>&1)"
expect_eq "RuntimeDefault, by the kernel" "cricket-default (enforce)" \
  "$(cat "/proc/$(cfield "$def" .info.info.pid)/attr/current" 2>&1)"
# The same mount works Unconfined below: only AppArmor refuses it here.
expect_match "RuntimeDefault denies mount" "Permission denied" \
  "$(cricketctl exec -s "$def" sh -c 'mkdir -p /tmp/m && mount -t tmpfs t /tmp/m && echo mounted' 2>&1)"

unc=$(new_ctr "$pod" aa unconfined '["sleep", "1000"]' \
  "\"security_context\": {$sysadmin, \"apparmor\": {\"profile_type\": \"Unconfined\"}}")
expect_eq "Unconfined, from inside" "unconfined" "$(cricketctl exec -s "$unc" cat /proc/self/attr/current 2>&1)"
expect_eq "Unconfined may mount (CAP_SYS_ADMIN)" "mounted" \
  "$(cricketctl exec -s "$unc" sh -c 'mkdir -p /tmp/m && mount -t tmpfs t /tmp/m && echo mounted' 2>&1)"

loc=$(new_ctr "$pod" aa localhost '["sleep", "1000"]' \
  '"security_context": {"apparmor": {"profile_type": "Localhost", "localhost_ref": "vm-no-tmp-writes"}}')
expect_eq "Localhost, from inside" "vm-no-tmp-writes (enforce)" \
  "$(cricketctl exec -s "$loc" cat /proc/self/attr/current 2>&1)"
expect_match "Localhost denies its writes" "Permission denied" \
  "$(cricketctl exec -s "$loc" sh -c 'echo x > /tmp/x' 2>&1)"
missing=$(new_ctr "$pod" aa missing '["sleep", "1000"]' \
  '"security_context": {"apparmor": {"profile_type": "Localhost", "localhost_ref": "vm-not-loaded"}}' 2>&1)
expect_match "Localhost profile not loaded: refused by name" "vm-not-loaded.*not loaded" "$missing"
finish
