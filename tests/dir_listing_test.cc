// Tests of the file-system helpers: ListDir's entry kinds, ReadWholeFile's contents and
// refusals, and AbsoluteNormalPath against std::filesystem's lexical normalization on every
// path made of a few components, relative and absolute.
#include "driver/dir_listing.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "lexer/str_util.h"
#include "tests/temp_dir.h"

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

TEST(ListDir, SaysWhatEachEntryIs) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const fs::path& d = tmp.path();
  std::ofstream(d / "mod.py") << "x = 1\n";
  fs::create_directory(d / "pkg");
  fs::create_symlink(d / "pkg", d / "link_dir");
  fs::create_symlink(d / "mod.py", d / "link_file");
  fs::create_symlink(d / "missing", d / "dangling");
  std::vector<DirEntry> entries;
  ASSERT_TRUE(ListDir(tmp.path().string(), &entries));
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  std::vector<std::string> seen;
  for (const DirEntry& e : entries) {
    seen.push_back(e.name + (e.is_dir ? " dir" : "") + (e.is_regular ? " file" : "") +
                   (e.is_symlink ? " link" : ""));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"dangling link", "link_dir dir link",
                                            "link_file file link", "mod.py file", "pkg dir"}));
}

TEST(ListDir, ManyEntriesAndMissingDirectories) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  // More entries than one read of the directory returns.
  for (int i = 0; i < 3000; ++i) {
    std::ofstream(tmp.path() / StrCat("module_with_a_long_name_", i, ".py"));
  }
  std::vector<DirEntry> entries;
  ASSERT_TRUE(ListDir(tmp.path().string(), &entries));
  EXPECT_EQ(entries.size(), 3000u);
  EXPECT_FALSE(ListDir(tmp.path().string() + "/nowhere", &entries));
  EXPECT_TRUE(entries.empty());
  EXPECT_FALSE(ListDir(tmp.path().string() + "/module_with_a_long_name_0.py", &entries));
}

TEST(ReadWholeFile, ReadsRegularFilesAndRefusesTheRest) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const fs::path& d = tmp.path();
  std::string big(100000, 'x');
  big[12345] = '\0';
  std::ofstream(d / "big.txt", std::ios::binary) << big;
  std::ofstream(d / "empty.txt");
  std::string text, error;
  ASSERT_TRUE(ReadWholeFile((d / "big.txt").string(), 1 << 20, &text, &error)) << error;
  EXPECT_EQ(text, big);
  ASSERT_TRUE(ReadWholeFile((d / "empty.txt").string(), 1 << 20, &text, &error)) << error;
  EXPECT_EQ(text, "");
  EXPECT_FALSE(ReadWholeFile((d / "big.txt").string(), 99999, &text, &error));
  EXPECT_EQ(error, "larger than 0 MiB");
  EXPECT_TRUE(text.empty());
  EXPECT_FALSE(ReadWholeFile((d / "missing.txt").string(), 1 << 20, &text, &error));
  EXPECT_EQ(error, "No such file or directory");
  EXPECT_FALSE(ReadWholeFile(d.string(), 1 << 20, &text, &error));
  EXPECT_EQ(error, "not a regular file");
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
