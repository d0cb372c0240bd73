// The subcommands of the `streams` executable.
#pragma once

namespace iota_streams::apps {

int run_selfcheck();
int run_demo(int argc, char** argv);     // demo [--type T] [--author-seed S] [--subscriber-seed S]
int run_vectors(int argc, char** argv);  // vectors parse FILE
int run_completion(int argc, char** argv);  // completion bash|zsh

}  // namespace iota_streams::apps
