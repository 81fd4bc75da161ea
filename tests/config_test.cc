// Tests of [tool.cellflow] in pyproject.toml: the settings read, where the file is looked for,
// the errors a wrong file gives, and the command line winning over the file.
#include "driver/config.h"

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

#include "tests/temp_dir.h"

namespace cellflow {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(ConfigTest, ReadsEverySetting) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const fs::path file = tmp.path() / "pyproject.toml";
  Write(file,
        "[project]\nname = \"demo\"\n\n"
        "[tool.cellflow]\n"
        "select = [\"NB1\", \"NB201\"]\n"
        "ignore = [\"NB103\"]\n"
        "exclude = [\"drafts\"]\n"
        "target-version = \"py310\"\n"
        "order = \"executed\"\n"
        "include-py = true\n"
        "strict-deps = true\n"
        "requirements = [\"requirements/base.txt\"]\n"
        "path = [\"src\", \"/opt/lib\"]\n"
        "site-packages = []\n");
  ConfigFile config;
  std::string error;
  ASSERT_TRUE(ReadConfigFile(file.string(), &config, &error)) << error;
  EXPECT_EQ(config.path, file.string());
  EXPECT_EQ(config.select, (std::vector<std::string>{"NB1", "NB201"}));
  EXPECT_EQ(config.ignore, (std::vector<std::string>{"NB103"}));
  EXPECT_EQ(config.exclude, (std::vector<std::string>{"drafts"}));
  EXPECT_EQ(config.target_version, "3.10");
  EXPECT_EQ(config.order, "executed");
  EXPECT_EQ(config.include_py, true);
  EXPECT_EQ(config.strict_deps, true);
  // Paths are relative to the file's directory.
  EXPECT_EQ(config.requirements,
            (std::vector<std::string>{(tmp.path() / "requirements/base.txt").string()}));
  EXPECT_EQ(config.paths, (std::vector<std::string>{(tmp.path() / "src").string(), "/opt/lib"}));
  EXPECT_EQ(config.site_packages, std::vector<std::string>());
}

TEST(ConfigTest, WrongFilesSayWhereAndWhy) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const fs::path file = tmp.path() / "pyproject.toml";
  struct Case {
    std::string_view text;
    std::string_view error;
  } cases[] = {
      {"[tool.cellflow]\nselect = \"NB1\"\n", ":2: 'select' must be an array of strings"},
      {"[tool.cellflow]\nignore = [\"NB1\", 2]\n", ":2: 'ignore' must be an array of strings"},
      {"[tool.cellflow]\nextend-select = [\"NB1\"]\n",
       ":2: unknown key 'extend-select' in [tool.cellflow]"},
      {"[tool.cellflow]\n\ntarget-version = \"3.7\"\n", ":3: 'target-version' must be one of"},
      {"[tool.cellflow]\norder = \"random\"\n",
       ":2: 'order' must be one of \"file\", \"executed\""},
      {"[tool.cellflow]\ninclude-py = \"yes\"\n", ":2: 'include-py' must be true or false"},
      {"[tool]\ncellflow = 1\n", ":2: [tool.cellflow] must be a table"},
      {"[tool.cellflow\n", ":1: "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Write(file, c.text);
    ConfigFile config;
    std::string error;
    EXPECT_FALSE(ReadConfigFile(file.string(), &config, &error));
    EXPECT_NE(error.find(file.string() + std::string(c.error)), std::string::npos) << error;
  }
  ConfigFile config;
  std::string error;
  EXPECT_FALSE(ReadConfigFile((tmp.path() / "missing.toml").string(), &config, &error));
  EXPECT_NE(error.find("cannot open file"), std::string::npos) << error;
}

TEST(ConfigTest, FoundInTheNearestPyprojectThatHasTheTable) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  Write(tmp.path() / "pyproject.toml", "[tool.cellflow]\nselect = [\"NB102\"]\n");
  // A pyproject.toml without the table, closer to the start, is passed over.
  Write(tmp.path() / "pkg" / "pyproject.toml", "[project]\nname = \"pkg\"\n");
  fs::create_directories(tmp.path() / "pkg" / "notebooks");
  ConfigFile config;
  std::string error;
  std::vector<std::string> warnings;
  ASSERT_TRUE(
      FindConfigFile((tmp.path() / "pkg" / "notebooks").string(), &config, &error, &warnings));
  EXPECT_EQ(config.path, (tmp.path() / "pyproject.toml").string());
  EXPECT_EQ(config.select, (std::vector<std::string>{"NB102"}));
  EXPECT_TRUE(warnings.empty());
  // One that is not TOML is passed over: silently when it has no [tool.cellflow] table to lose
  // (another tool's file, broken), with a warning when it has; a wrong table is an error.
  Write(tmp.path() / "pkg" / "pyproject.toml", "[project\n");
  ASSERT_TRUE(
      FindConfigFile((tmp.path() / "pkg" / "notebooks").string(), &config, &error, &warnings));
  EXPECT_EQ(config.path, (tmp.path() / "pyproject.toml").string());
  EXPECT_TRUE(warnings.empty());
  Write(tmp.path() / "pkg" / "pyproject.toml", "[project\n[tool.cellflow]\nselect = []\n");
  ASSERT_TRUE(
      FindConfigFile((tmp.path() / "pkg" / "notebooks").string(), &config, &error, &warnings));
  EXPECT_EQ(config.path, (tmp.path() / "pyproject.toml").string());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("pkg/pyproject.toml:1: "), std::string::npos) << warnings[0];
  Write(tmp.path() / "pkg" / "pyproject.toml", "[tool.cellflow]\nselect = 1\n");
  EXPECT_FALSE(
      FindConfigFile((tmp.path() / "pkg" / "notebooks").string(), &config, &error, &warnings));
  EXPECT_NE(error.find("'select' must be an array of strings"), std::string::npos) << error;
}

TEST(ConfigTest, TheCommandLineWins) {
  ConfigFile config;
  config.path = "pyproject.toml";
  config.select = std::vector<std::string>{"NB1"};
  config.ignore = std::vector<std::string>{"NB103"};
  config.target_version = "3.9";
  config.include_py = true;
  CheckOptions options;
  options.select = {"NB2"};
  ApplyConfig(
      config, [](std::string_view option) { return option == "--select"; }, &options);
  EXPECT_EQ(options.select, (std::vector<std::string>{"NB2"}));
  EXPECT_EQ(options.ignore, (std::vector<std::string>{"NB103"}));
  EXPECT_EQ(options.target_version, "3.9");
  EXPECT_TRUE(options.include_py);
  EXPECT_EQ(options.order, "file");  // not in the file: the default stays
}

}  // namespace
}  // namespace cellflow
