// `cellflow stats` (per-notebook hygiene metrics for research, streamed as CSV or JSON lines)
// and `cellflow graph` (a notebook's cell dependency graph as Graphviz dot or JSON).
#ifndef CELLFLOW_DRIVER_STATS_H_
#define CELLFLOW_DRIVER_STATS_H_

#include <string>
#include <vector>

#include "driver/check.h"

namespace cellflow {

// Uses the input, order, target-version, jobs, progress and output fields of `options`;
// `options.format` is "csv" or "jsonl". Returns the exit status (0, or 2 on I/O errors).
int RunStats(const std::vector<std::string>& paths, const CheckOptions& options);

// `format`: "dot" or "json". Returns the exit status (0, 1 for an unreadable notebook, 2 on
// I/O errors).
int RunGraph(const std::string& path, const std::string& format, const std::string& order);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_STATS_H_
