// cricketd: the CRI daemon. All logic lives in the cricket_cri library.
#include "cri/daemon/daemon_main.h"

int main(int argc, char** argv) { return cricket::cri::DaemonMain(argc, argv); }
