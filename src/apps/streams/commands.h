// The subcommands of the `streams` executable.
#pragma once

namespace iota_streams::apps {

int run_selfcheck();
int run_vectors(int argc, char** argv);  // vectors parse FILE

}  // namespace iota_streams::apps
