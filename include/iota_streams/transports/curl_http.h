// libcurl's HttpClient for hosts (the node transport's default there). Not built for devices.
#pragma once

#include <memory>

#include "iota_streams/transports/node.h"

namespace iota_streams::transports {

std::unique_ptr<HttpClient> make_curl_http_client();

}  // namespace iota_streams::transports
