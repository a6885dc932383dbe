# The service for real: the .deb is installed, cricket.service is Type=notify
# with Delegate=yes (start returns once the socket answers), stop and restart
# behave, a restart leaves a running container running and recovered, and the
# journal carries cricketd's logs.
. "$(dirname "$0")/../lib.sh"
trap remove_pods EXIT

expect_match "dpkg status" "install ok installed" "$(dpkg-query -W -f='${Status}' cricket-runtime)"
expect_eq "unit Type" "Type=notify" "$(systemctl show -p Type cricket)"
expect_eq "unit Delegate" "Delegate=yes" "$(systemctl show -p Delegate cricket)"
expect_eq "active after run.sh's start" "active" "$(systemctl is-active cricket)"

systemctl stop cricket
expect_eq "inactive after stop" "inactive" "$(systemctl is-active cricket)"
if cricketctl -t 2 version >/dev/null 2>&1; then bad "CRI answers after stop"; else ok "CRI silent after stop"; fi
systemctl start cricket
# Type=notify: start returned after READY=1, so the socket answers at once.
expect_match "CRI answers right after start" "RuntimeName: +cricket" "$(cricketctl version 2>&1)"

pod=$(new_pod svc vm-svc)
ctr=$(new_ctr "$pod" svc sleeper '["sleep", "1000"]')
expect_eq "container running" CONTAINER_RUNNING "$(cfield "$ctr" .status.state)"
pid=$(cfield "$ctr" .info.info.pid)
main_before=$(systemctl show -p MainPID --value cricket)
systemctl restart cricket
main_after=$(systemctl show -p MainPID --value cricket)
if [ "$main_before" != "$main_after" ]; then ok "restart gave a new cricketd ($main_after)"; else bad "MainPID unchanged across restart"; fi
if kill -0 "$pid" 2>/dev/null; then ok "container init $pid survived the restart"; else bad "container init $pid gone after restart"; fi
expect_eq "container recovered as running" CONTAINER_RUNNING "$(cfield "$ctr" .status.state)"
expect_eq "exec after restart" "still here" "$(cricketctl exec -s "$ctr" echo still here 2>&1)"
cricketctl stop -t 1 "$ctr" >/dev/null
expect_eq "stopped after restart" CONTAINER_EXITED "$(cfield "$ctr" .status.state)"

journal=$(journalctl -b -u cricket --no-pager -o cat 2>&1)
expect_match "journal has cricketd serving" "cricketd serving" "$journal"
expect_match "journal has the shutdown" "shutting down" "$journal"
finish
