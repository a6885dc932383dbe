// image::Image → the CRI Image message (uid or username from the image's
// USER, as the kubelet wants them for runAsNonRoot checks).
#pragma once

#include "cri/api/api.h"
#include "image/image_service.h"

namespace cricket::cri {

void FillImage(const image::Image& img, runtime::v1::Image* out);

}  // namespace cricket::cri
