# Runs last (checks run in name order): `apt-get remove` then `purge` of
# cricket-runtime. Remove stops cricketd and takes the programs and the unit
# but keeps the conffile; purge takes that too and forgets the unit. What a
# purge keeps by design: /var/lib/cricket (images and container records; see
# contrib/debian/postrm). The lane's own files in /etc/cricket/cricket.d
# (guest-run.sh, guest-suite.sh) are the node's, so they go first.
. "$(dirname "$0")/../lib.sh"

remove_pods
files=$(dpkg-query -L cricket-runtime | while read -r f; do [ -d "$f" ] || echo "$f"; done)
expect_match "package files listed" "/usr/bin/cricketd" "$files"
rm -f /etc/cricket/cricket.d/50-vm-lane.yaml /etc/cricket/cricket.d/60-vm-suite.yaml
rmdir /etc/cricket/cricket.d 2>/dev/null  # guest-run.sh made it, not the package

out=$(apt-get remove -y cricket-runtime 2>&1) || bad "apt-get remove: $out"
expect_eq "cricket after remove" inactive "$(systemctl is-active cricket 2>&1)"
expect_eq "cricketd running after remove" "" "$(pidof cricketd)"
expect_eq "the conffile after remove" yes "$([ -f /etc/cricket/cricket.yaml ] && echo yes || echo no)"
left=$(for f in $files; do [ "$f" = /etc/cricket/cricket.yaml ] || [ ! -e "$f" ] || echo "$f"; done)
expect_eq "package files left after remove" "" "$left"

out=$(apt-get purge -y cricket-runtime 2>&1) || bad "apt-get purge: $out"
# dpkg-query names a purged package not-installed, or no longer knows it.
st=$(dpkg-query -W -f '${db:Status-Status}' cricket-runtime 2>/dev/null)
expect_eq "dpkg after purge" not-installed "${st:-not-installed}"
expect_eq "/etc/cricket after purge" "" "$(find /etc/cricket 2>/dev/null)"
left=$(for f in $files; do [ ! -e "$f" ] || echo "$f"; done)
expect_eq "package files left after purge" "" "$left"
# The lane's own unit, cricket-vm-run.service, is the image's, not cricket's.
expect_eq "unit links left after purge" "" \
  "$(find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled \
       /var/lib/systemd/deb-systemd-helper-masked -name 'cricket*' ! -name 'cricket-vm-run*' 2>/dev/null)"
expect_eq "units systemd still has" "" \
  "$(systemctl list-units --all --no-legend 'cricket*' 2>&1 | grep -v cricket-vm-run)"
echo "kept by design: $(ls -d /var/lib/cricket 2>/dev/null)"
finish
