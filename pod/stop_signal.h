// The stop signal: ContainerConfig.stop_signal (CRI's Signal enum) over the
// image's StopSignal, SIGTERM when neither names one; and the enum value the
// status reports for it.
#pragma once

#include <string>

#include "cri/api/api.h"

namespace cricket::pod {

// The name the engine parses ("SIGUSR1", "SIGRTMIN+3", "SIGRTMAX-1"); "" for
// RUNTIME_DEFAULT.
std::string StopSignalName(runtime::v1::Signal s);

// What StopContainer sends for a container recorded with `name`.
int EffectiveStopSignal(const std::string& name);

// The CRI enum value for a signal number (the first enum name of that
// number, e.g. SIGABRT before SIGIOT); RUNTIME_DEFAULT when none has it.
runtime::v1::Signal CriSignal(int signo);

}  // namespace cricket::pod
