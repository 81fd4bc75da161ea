// Tests of AbsoluteNormalPath against std::filesystem's lexical normalization, on every path
// made of a few components, relative and absolute.
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "driver/dir_listing.h"

namespace cellflow {
namespace {

namespace fs = std::filesystem;

// What std::filesystem makes of `path` against `cwd`, without a trailing '/'.
std::string Reference(const std::string& path, const std::string& cwd) {
  fs::path p(path);
  std::string out = (p.is_absolute() ? p : fs::path(cwd) / p).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

TEST(AbsoluteNormalPath, Examples) {
  EXPECT_EQ(AbsoluteNormalPath("a/b", "/w"), "/w/a/b");
  EXPECT_EQ(AbsoluteNormalPath("", "/w/x"), "/w/x");
  EXPECT_EQ(AbsoluteNormalPath(".", "/w/x"), "/w/x");
  EXPECT_EQ(AbsoluteNormalPath("..", "/w/x"), "/w");
  EXPECT_EQ(AbsoluteNormalPath("../../..", "/w/x"), "/");
  EXPECT_EQ(AbsoluteNormalPath("../shared/./corpus//nb/", "/work/main"), "/work/shared/corpus/nb");
  EXPECT_EQ(AbsoluteNormalPath("/a/../../b", "/w"), "/b");
  EXPECT_EQ(AbsoluteNormalPath("/", "/w"), "/");
  EXPECT_EQ(AbsoluteNormalPath("x", "/"), "/x");
  EXPECT_EQ(AbsoluteNormalPath("x", "/w/../v/"), "/v/x");  // cwd made normal too
  EXPECT_EQ(AbsoluteNormalPath("...", "/w"), "/w/...");
  EXPECT_EQ(AbsoluteNormalPath("a/.b/..c", "/w"), "/w/a/.b/..c");
}

TEST(AbsoluteNormalPath, MatchesFilesystemOnEveryShortPath) {
  const std::vector<std::string> parts = {"", ".", "..", "a", "bc", "..."};
  const std::vector<std::string> cwds = {"/", "/w", "/w/x/y"};
  // Every sequence of up to four parts, joined by '/', with and without a leading '/'.
  std::vector<std::string> paths = {""};
  for (int depth = 0; depth < 4; ++depth) {
    std::vector<std::string> longer;
    for (const std::string& p : paths) {
      for (const std::string& part : parts) longer.push_back(p.empty() ? part : p + "/" + part);
    }
    paths.insert(paths.end(), longer.begin(), longer.end());
  }
  size_t checked = 0;
  for (const std::string& cwd : cwds) {
    for (const std::string& p : paths) {
      for (const std::string& path : {p, "/" + p}) {
        ASSERT_EQ(AbsoluteNormalPath(path, cwd), Reference(path, cwd))
            << "path '" << path << "' cwd '" << cwd << "'";
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 10000u);
}

}  // namespace
}  // namespace cellflow
