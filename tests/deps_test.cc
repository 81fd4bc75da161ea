// Tests of the dependency readers (requirements.txt, environment.yml, pyproject.toml, Pipfile,
// setup.cfg, setup.py, install commands) and of DependencyFinder, on hand-written fixtures
// (tests/fixtures/deps), on garbage, and on the dependency files of ../shared/corpus.
#include "driver/deps.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "lexer/str_util.h"

namespace cellflow {
namespace {

namespace fs = std::filesystem;

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

std::string SourceDir() {
  const char* dir = std::getenv("CELLFLOW_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? dir : ".";
}

std::vector<std::string> Names(const DependencyParse& p) { return p.distributions; }

// ---------------------------------------------------------------------------------------------
// RequirementName

TEST(RequirementNameTest, Pep508) {
  EXPECT_EQ(RequirementName("numpy"), "numpy");
  EXPECT_EQ(RequirementName("  NumPy  "), "numpy");
  EXPECT_EQ(RequirementName("Foo_Bar.baz>=1.0"), "foo-bar-baz");
  EXPECT_EQ(RequirementName("requests[security,socks] (>=2.0) ; python_version < \"3.8\""),
            "requests");
  EXPECT_EQ(RequirementName("pandas==2.*,!=2.1.0"), "pandas");
  EXPECT_EQ(RequirementName("torch~=2.0"), "torch");
  EXPECT_EQ(RequirementName("pip @ https://github.com/pypa/pip/archive/22.0.2.zip"), "pip");
  EXPECT_EQ(RequirementName("name@git+https://example.com/x.git"), "name");
  EXPECT_EQ(RequirementName("\"numpy>=1.2\""), "numpy");
  EXPECT_EQ(RequirementName("'scikit-learn'"), "scikit-learn");
  EXPECT_EQ(RequirementName("pkg;sys_platform=='win32'"), "pkg");
}

TEST(RequirementNameTest, UrlsAndPaths) {
  EXPECT_EQ(RequirementName("git+https://github.com/user/repo.git#egg=My_Package"), "my-package");
  EXPECT_EQ(RequirementName("git+https://github.com/user/repo.git@v1.0#egg=pkg&subdirectory=x"),
            "pkg");
  EXPECT_EQ(RequirementName("https://example.com/x.tar.gz#egg=thing-1.0"), "thing");
  EXPECT_EQ(RequirementName("git+https://github.com/openai/CLIP.git"), "clip");
  EXPECT_EQ(RequirementName("git+ssh://git@github.com/org/some-lib.git@main"), "some-lib");
  EXPECT_EQ(RequirementName("https://files.example.com/pkgs/My_Pkg-1.2.3-py3-none-any.whl"),
            "my-pkg");
  EXPECT_EQ(RequirementName("https://example.com/dist/cool-thing-0.4.1.tar.gz"), "cool-thing");
  EXPECT_EQ(RequirementName("https://github.com/org/repo/archive/refs/heads/main.zip"), "repo");
  EXPECT_EQ(RequirementName("./dist/local_pkg-2.0-py3-none-any.whl"), "local-pkg");
  // Local paths name nothing.
  EXPECT_EQ(RequirementName("."), std::nullopt);
  EXPECT_EQ(RequirementName("./src/pkg"), std::nullopt);
  EXPECT_EQ(RequirementName("../other"), std::nullopt);
  EXPECT_EQ(RequirementName("/abs/path"), std::nullopt);
  EXPECT_EQ(RequirementName("file:///abs/path"), std::nullopt);
  EXPECT_EQ(RequirementName("file:///abs/path#egg=named"), "named");
}

TEST(RequirementNameTest, NotRequirements) {
  for (std::string_view s : {"", "   ", "-r", ">=1.0", "[extra]", "hello world", "#comment",
                             "numpy 1.2", "\"", "''", "@"}) {
    EXPECT_EQ(RequirementName(s), std::nullopt) << s;
  }
}

// ---------------------------------------------------------------------------------------------
// requirements.txt

TEST(DependencyFileKindTest, NamesPeopleGiveThem) {
  using K = DependencyFileKind;
  const std::pair<std::string_view, std::optional<K>> cases[] = {
      {"requirements.txt", K::kRequirements},
      {"requirements-gpu.txt", K::kRequirements},
      {"dev_requirements.txt", K::kRequirements},
      {"Requirements.txt", K::kRequirements},
      {"requirement.txt", K::kRequirements},
      {"environment.yml", K::kEnvironment},
      {"environment-cuda.yml", K::kEnvironment},
      {"geospatial_environment.yaml", K::kEnvironment},
      {"conda_env.yml", K::kEnvironment},
      {"env.yaml", K::kEnvironment},
      {"pyproject.toml", K::kPyproject},
      {"Pipfile", K::kPipfile},
      {"setup.cfg", K::kSetupCfg},
      {"setup.py", K::kSetupPy},
      {"requirements.in.bak", std::nullopt},
      {"docker-compose.yml", std::nullopt},
      {".env.yml", std::nullopt},
      {"environment.json", std::nullopt},
      {"notes.txt", std::nullopt},
  };
  for (const auto& [name, kind] : cases) EXPECT_EQ(DependencyFileKindOf(name), kind) << name;
}

TEST(DependencyFileKindTest, CondaEnvironmentsByContent) {
  EXPECT_TRUE(
      LooksLikeCondaEnvironment("name: tf\nchannels:\n  - conda-forge\ndependencies:\n"
                                "  - python=3.10\n  - tensorflow\n"));
  EXPECT_TRUE(LooksLikeCondaEnvironment("dependencies:\n- numpy\n- pip:\n  - timm\n"));
  EXPECT_TRUE(LooksLikeCondaEnvironment("dependencies:  # what to install\n  - pip:\n"));
  EXPECT_TRUE(LooksLikeCondaEnvironment("dependencies: [python=3.9, pytorch::pytorch]\n"));
  EXPECT_TRUE(LooksLikeCondaEnvironment("channels: [defaults]\n\ndependencies:\n\n  - numpy\n"));
  // Other YAML: a Helm chart's list of mappings, pubspec's mapping, a site's navigation.
  EXPECT_FALSE(LooksLikeCondaEnvironment(
      "apiVersion: v2\ndependencies:\n  - name: redis\n    version: 17.0.0\n"));
  EXPECT_FALSE(LooksLikeCondaEnvironment("name: app\ndependencies:\n  flutter:\n    sdk: x\n"));
  EXPECT_FALSE(LooksLikeCondaEnvironment("site_name: Notes\nnav:\n  - Home: index.md\n"));
  EXPECT_FALSE(LooksLikeCondaEnvironment("build:\n  dependencies:\n    - numpy\n"));
  EXPECT_FALSE(LooksLikeCondaEnvironment("dependencies:\nname: x\n"));
  EXPECT_FALSE(LooksLikeCondaEnvironment(""));
}

TEST(RequirementsTxtTest, Basics) {
  DependencyParse p = ParseRequirementsTxt(
      "# comment\n"
      "\n"
      "numpy>=1.20  # inline comment\n"
      "pandas\\\n"
      "  ==2.0\n"
      "Scikit_Learn[alldeps]\r\n"
      "matplotlib ; python_version >= \"3.8\"\r"
      "requests --hash=sha256:abcdef \\\n"
      "    --hash=sha256:012345\n"
      "numpy\n");
  EXPECT_THAT(Names(p), ElementsAre("numpy", "pandas", "scikit-learn", "matplotlib", "requests"));
  EXPECT_THAT(p.problems, IsEmpty());
}

// A notebook saved under a dependency file's name (Colab's "Save a copy in GitHub") declares
// nothing, with one problem instead of one per line.
TEST(RequirementsTxtTest, NotebookJsonUnderTheName) {
  const std::string notebook =
      "{\n \"nbformat\": 4,\n \"nbformat_minor\": 0,\n \"metadata\": {\"colab\": {}},\n"
      " \"cells\": [{\"cell_type\": \"code\", \"source\": [\"!pip install streamlit\"]}]\n}\n";
  for (DependencyFileKind kind : {DependencyFileKind::kRequirements,
                                  DependencyFileKind::kEnvironment, DependencyFileKind::kPipfile}) {
    DependencyParse p = ParseDependencyFile(kind, notebook);
    EXPECT_THAT(p.distributions, IsEmpty());
    EXPECT_THAT(p.problems, ElementsAre(HasSubstr("holds a Jupyter notebook's JSON")));
  }
}

TEST(RequirementsTxtTest, Options) {
  DependencyParse p = ParseRequirementsTxt(
      "--index-url https://pypi.org/simple\n"
      "-i https://mirror/simple\n"
      "--extra-index-url=https://extra/simple\n"
      "-f ./wheels\n"
      "--find-links https://x/links\n"
      "--pre\n"
      "--trusted-host example.com\n"
      "-c constraints.txt\n"
      "--constraint=more-constraints.txt\n"
      "-r base.txt\n"
      "--requirement dev.txt\n"
      "--requirement=test.txt\n"
      "-rother.txt\n"
      "-e git+https://github.com/org/proj.git#egg=proj\n"
      "--editable ./local\n"
      "-e .\n"
      "-e ./path/to/pkg\n"
      "git+https://github.com/org/vcs-only.git#egg=vcs_only\n"
      "name @ https://example.com/name-1.0.tar.gz\n");
  EXPECT_THAT(Names(p), ElementsAre("proj", "vcs-only", "name"));
  EXPECT_THAT(p.requirement_files, ElementsAre("base.txt", "dev.txt", "test.txt", "other.txt"));
  EXPECT_THAT(p.problems, IsEmpty());
}

TEST(RequirementsTxtTest, Problems) {
  DependencyParse p = ParseRequirementsTxt(
      "numpy\n"
      "--no-such-option\n"
      "this is not a requirement\n"
      "-r\n"
      "pandas\n");
  EXPECT_THAT(Names(p), ElementsAre("numpy", "pandas"));
  EXPECT_THAT(p.problems, ElementsAre(HasSubstr("line 2: unknown option"),
                                      HasSubstr("line 3: not a requirement"),
                                      HasSubstr("line 4: option -r needs an argument")));
}

TEST(RequirementsTxtTest, CommentLinesDoNotContinue) {
  DependencyParse p = ParseRequirementsTxt("# a comment \\\nnumpy\n# last \\");
  EXPECT_THAT(Names(p), ElementsAre("numpy"));
  EXPECT_THAT(p.problems, IsEmpty());
  // A continuation at the very end of the file.
  EXPECT_THAT(Names(ParseRequirementsTxt("pandas\\")), ElementsAre("pandas"));
}

TEST(RequirementsTxtTest, HashInsideUrlIsNotAComment) {
  DependencyParse p = ParseRequirementsTxt("git+https://x.org/r.git#egg=frag  # comment\n");
  EXPECT_THAT(Names(p), ElementsAre("frag"));
}

// ---------------------------------------------------------------------------------------------
// environment.yml

// An exported environment's conda-only packages are no problems; conda's split packages
// declare the module they install.
TEST(EnvironmentYmlTest, ExportedAndSplitPackages) {
  DependencyParse p = ParseEnvironmentYml(
      "dependencies:\n"
      "  - _libgcc_mutex=0.1=conda_forge\n"
      "  - conda-forge::_openmp_mutex=4.5=2_gnu\n"
      "  - dask-core=2024.1.0=pyhd8ed1ab_0\n"
      "  - geopandas-base\n"
      "  - numpy-base\n");
  EXPECT_THAT(p.problems, IsEmpty());
  EXPECT_THAT(p.distributions, ElementsAre("dask", "geopandas", "numpy"));
}

TEST(EnvironmentYmlTest, CondaAndPip) {
  DependencyParse p = ParseEnvironmentYml(
      "name: analysis  # the env\n"
      "channels:\n"
      "  - conda-forge\n"
      "  - defaults\n"
      "dependencies:\n"
      "  - python=3.10\n"
      "  - numpy=1.24\n"
      "  - pandas>=2\n"
      "  - conda-forge::scipy\n"
      "  - \"matplotlib-base >=3.5\"\n"
      "  - 'pytorch::pytorch'\n"
      "  - py-opencv 4.*\n"
      "  # a comment between items\n"
      "  - scikit-learn  # trailing comment\n"
      "  - pip\n"
      "  - pip:\n"
      "    - requests>=2\n"
      "    - \"transformers[torch]==4.30\"\n"
      "    - -r requirements-pip.txt\n"
      "    - --index-url https://example/simple\n"
      "    - -e .\n"
      "    - git+https://github.com/org/repo.git#egg=from_git\n"
      "  - tqdm\n"
      "variables:\n"
      "  - notapackage\n");
  EXPECT_THAT(Names(p),
              ElementsAre("numpy", "pandas", "scipy", "matplotlib", "torch", "opencv-python",
                          "scikit-learn", "pip", "requests", "transformers", "from-git", "tqdm"));
  EXPECT_THAT(p.requirement_files, ElementsAre("requirements-pip.txt"));
  EXPECT_THAT(p.problems, IsEmpty());
}

TEST(EnvironmentYmlTest, ItemsAtTheKeysIndentation) {
  DependencyParse p = ParseEnvironmentYml(
      "dependencies:\n"
      "- numpy\n"
      "- pip:\n"
      "  - requests\n"
      "- pandas\n"
      "prefix: /opt/env\n");
  EXPECT_THAT(Names(p), ElementsAre("numpy", "requests", "pandas"));
}

TEST(EnvironmentYmlTest, FlowStyle) {
  DependencyParse p = ParseEnvironmentYml(
      "name: x\n"
      "dependencies: [numpy, 'pandas>=1', \"python=3.9\",\n"
      "  scipy]\n");
  EXPECT_THAT(Names(p), ElementsAre("numpy", "pandas", "scipy"));
  p = ParseEnvironmentYml("dependencies:\n  - numpy\n  - pip: [requests, 'flask>=2']\n");
  EXPECT_THAT(Names(p), ElementsAre("numpy", "requests", "flask"));
}

TEST(EnvironmentYmlTest, TabsCrlfAndNoDependencies) {
  EXPECT_THAT(Names(ParseEnvironmentYml("dependencies:\r\n  - numpy\r\n  - pandas \t# c\r\n")),
              ElementsAre("numpy", "pandas"));
  DependencyParse none = ParseEnvironmentYml("name: empty\nchannels: [conda-forge]\n");
  EXPECT_THAT(Names(none), IsEmpty());
  EXPECT_THAT(none.problems, IsEmpty());
  EXPECT_THAT(ParseEnvironmentYml("dependencies: numpy\n").problems,
              ElementsAre(HasSubstr("not a list")));
}

// ---------------------------------------------------------------------------------------------
// pyproject.toml and Pipfile

TEST(PyprojectTomlTest, Pep621AndGroups) {
  DependencyParse p = ParsePyprojectToml(R"(
[build-system]
requires = ["hatchling"]

[project]
name = "My.Project"
dependencies = [
  "numpy>=1.2",
  "requests[socks] ; python_version >= '3.8'",
]

[project.optional-dependencies]
plot = ["matplotlib", "seaborn>=0.12"]
test = ["pytest"]

[dependency-groups]
dev = ["ruff", {include-group = "test"}]
docs = ["sphinx"]
)");
  EXPECT_THAT(Names(p), ElementsAre("my-project", "numpy", "requests", "matplotlib", "seaborn",
                                    "pytest", "ruff", "sphinx"));
  EXPECT_THAT(p.problems, IsEmpty());
}

// dynamic = ["dependencies"]: from the files setuptools or hatch-requirements-txt name, else
// not known.
TEST(PyprojectTomlTest, DynamicDependencies) {
  DependencyParse p = ParsePyprojectToml(
      "[project]\nname = \"dyn\"\ndynamic = [\"version\", \"dependencies\"]\n"
      "[tool.setuptools.dynamic]\ndependencies = {file = [\"requirements.txt\"]}\n");
  EXPECT_THAT(p.requirement_files, ElementsAre("requirements.txt"));
  EXPECT_FALSE(p.requirements_unknown);
  p = ParsePyprojectToml(
      "[project]\nname = \"dyn\"\ndynamic = [\"dependencies\"]\n"
      "[tool.hatch.metadata.hooks.requirements_txt]\nfiles = \"requirements/base.txt\"\n");
  EXPECT_THAT(p.requirement_files, ElementsAre("requirements/base.txt"));
  p = ParsePyprojectToml("[project]\nname = \"dyn\"\ndynamic = [\"dependencies\"]\n");
  EXPECT_THAT(Names(p), ElementsAre("dyn"));
  EXPECT_TRUE(p.requirements_unknown);
  p = ParsePyprojectToml("[project]\nname = \"v\"\ndynamic = [\"version\"]\n");
  EXPECT_FALSE(p.requirements_unknown);
  // Extras from files too, in either TOML spelling.
  p = ParsePyprojectToml(
      "[project]\nname = \"dyn\"\ndynamic = [\"optional-dependencies\"]\n"
      "[tool.setuptools.dynamic]\noptional-dependencies.docs = {file = [\"reqs/docs.in\"]}\n"
      "[tool.setuptools.dynamic.optional-dependencies.test]\nfile = \"reqs/test.in\"\n");
  EXPECT_THAT(p.requirement_files, ElementsAre("reqs/docs.in", "reqs/test.in"));
  EXPECT_FALSE(p.requirements_unknown);
}

// What Hatch's environments and pixi's (conda and PyPI, default and per feature) install.
TEST(PyprojectTomlTest, HatchEnvironmentsAndPixi) {
  DependencyParse p = ParsePyprojectToml(R"(
[project]
name = "envs"

[tool.hatch.envs.docs]
dependencies = ["plotly>=5", "mkdocs"]
extra-dependencies = ["nbconvert"]

[tool.pixi.dependencies]
python = ">=3.10"
numba = "*"

[tool.pixi.pypi-dependencies]
envs = { path = ".", editable = true }

[tool.pixi.feature.docs.dependencies]
matplotlib-base = "*"

[tool.pixi.feature.notebooks.pypi-dependencies]
netCDF4 = "*"
)");
  EXPECT_THAT(Names(p), ElementsAre("envs", "plotly", "mkdocs", "nbconvert", "numba", "matplotlib",
                                    "netcdf4"));
  EXPECT_THAT(p.problems, IsEmpty());
}

TEST(PyprojectTomlTest, Poetry) {
  DependencyParse p = ParsePyprojectToml(R"(
[tool.poetry]
name = "poetry-app"

[tool.poetry.dependencies]
python = "^3.10"
pandas = "^2.0"
"Flask_Login" = { version = "*", optional = true }
mylib = { path = "../mylib" }

[tool.poetry.dev-dependencies]
black = "*"

[tool.poetry.group.test.dependencies]
pytest = "^7"

[tool.poetry.group.docs.dependencies]
mkdocs = "*"
)");
  EXPECT_THAT(Names(p), UnorderedElementsAre("poetry-app", "pandas", "flask-login", "mylib",
                                             "black", "pytest", "mkdocs"));
  EXPECT_THAT(p.problems, IsEmpty());
}

// Where a project keeps its packages when not beside its build file or in src/.
TEST(PackageRootsTest, EachBuildFileSaysItsWay) {
  using Roots = std::vector<std::string>;
  EXPECT_EQ(ParsePyprojectToml("[tool.setuptools.packages.find]\nwhere = [\"lib\", \".\"]\n")
                .package_roots,
            Roots{"lib"});
  EXPECT_EQ(
      ParsePyprojectToml("[tool.setuptools]\npackage-dir = {\"\" = \"python\"}\n").package_roots,
      Roots{"python"});
  EXPECT_EQ(ParsePyprojectToml("[tool.poetry]\nname = \"x\"\npackages = [{include = \"a\", "
                               "from = \"lib\"}, {include = \"b\"}]\n")
                .package_roots,
            Roots{"lib"});
  EXPECT_EQ(ParsePyprojectToml("[tool.hatch.build.targets.wheel]\npackages = [\"lessons/utils\", "
                               "\"top\"]\n")
                .package_roots,
            Roots{"lessons"});
  EXPECT_EQ(ParseSetupCfg("[options]\npackage_dir =\n    =lib\n").package_roots, Roots{"lib"});
  EXPECT_EQ(ParseSetupCfg("[options.packages.find]\nwhere = code\n").package_roots, Roots{"code"});
  EXPECT_EQ(ParseSetupPy("from setuptools import setup\nsetup(package_dir={'': 'lib', 'x': 'y'})\n")
                .package_roots,
            Roots{"lib"});
  EXPECT_EQ(ParseSetupPy("setup(packages=find_packages('pkgs'))\n").package_roots, Roots{"pkgs"});
  EXPECT_EQ(ParseSetupPy("setup(packages=find_packages(where='.', exclude=['t']))\n").package_roots,
            Roots{});
  EXPECT_EQ(ParsePyprojectToml("[project]\nname = \"x\"\n").package_roots, Roots{});
}

TEST(PyprojectTomlTest, BadTomlIsAProblem) {
  DependencyParse p = ParsePyprojectToml("[project\nname = \"x\"\n");
  EXPECT_THAT(Names(p), IsEmpty());
  ASSERT_THAT(p.problems, SizeIs(1));
  EXPECT_THAT(p.problems[0], HasSubstr("line 1"));
  p = ParsePyprojectToml("[project]\ndependencies = \"numpy\"\n");
  EXPECT_THAT(p.problems, ElementsAre(HasSubstr("not an array")));
  p = ParsePyprojectToml("[project]\ndependencies = [1, \"numpy\"]\n");
  EXPECT_THAT(Names(p), ElementsAre("numpy"));
  EXPECT_THAT(p.problems, ElementsAre(HasSubstr("not a string")));
  EXPECT_THAT(ParsePyprojectToml("x = \"\xff\xfe\"\n").problems, SizeIs(1));
}

TEST(PipfileTest, Categories) {
  DependencyParse p = ParsePipfile(R"(
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
requests = "*"
"Django" = ">=4"
numpy = {version = ">=1.2", index = "pypi"}

[dev-packages]
pytest = "*"

[docs]
sphinx = "*"

[requires]
python_version = "3.11"

[scripts]
serve = "python -m http.server"
)");
  EXPECT_THAT(Names(p), UnorderedElementsAre("requests", "django", "numpy", "pytest", "sphinx"));
  EXPECT_THAT(p.problems, IsEmpty());
  EXPECT_THAT(ParsePipfile("[packages\n").problems, SizeIs(1));
}

// ---------------------------------------------------------------------------------------------
// setup.cfg and setup.py

TEST(SetupCfgTest, Lists) {
  DependencyParse p = ParseSetupCfg(
      "[metadata]\n"
      "name = cfg-project\n"
      "version = 1.0\n"
      "\n"
      "[options]\n"
      "packages = find:\n"
      "install_requires =\n"
      "    numpy>=1.2\n"
      "    # a comment\n"
      "\n"
      "    pandas ; python_version > \"3.7\"\n"
      "tests_require = pytest\n"
      "\n"
      "[options.extras_require]\n"
      "plot =\n"
      "    matplotlib\n"
      "all = seaborn; plotly\n"
      "\n"
      "[flake8]\n"
      "install_requires = notme\n");
  EXPECT_THAT(Names(p), ElementsAre("cfg-project", "numpy", "pandas", "pytest", "matplotlib",
                                    "seaborn", "plotly"));
  EXPECT_THAT(p.problems, IsEmpty());
}

TEST(SetupCfgTest, SemicolonListKeepsMarkersOut) {
  DependencyParse p = ParseSetupCfg("[options]\ninstall_requires = a; b; python_version<'3'\n");
  EXPECT_THAT(Names(p), ElementsAre("a", "b"));
  p = ParseSetupCfg("[options]\ninstall-requires = file: requirements.txt, extra.txt\n");
  EXPECT_THAT(p.requirement_files, ElementsAre("requirements.txt", "extra.txt"));
  EXPECT_THAT(ParseSetupCfg("[metadata\nname = x\n").problems, SizeIs(1));
}

// Astropy's package template keeps install_requires in [metadata], comma-separated, for its
// setup.py to split.
TEST(SetupCfgTest, MetadataInstallRequires) {
  DependencyParse p = ParseSetupCfg(
      "[metadata]\n"
      "package_name = plasmapy\n"
      "install_requires = numpy, scipy>=1.0,<2, astropy  # units\n"
      "    h5py\n");
  EXPECT_THAT(Names(p), ElementsAre("numpy", "scipy", "astropy", "h5py"));
  EXPECT_THAT(p.problems, IsEmpty());
  EXPECT_FALSE(p.requirements_unknown);
}

TEST(SetupPyTest, Literals) {
  DependencyParse p = ParseSetupPy(R"(
from setuptools import setup
setup(
    name="literal-pkg",
    install_requires=["numpy>=1.2", 'pandas', "scipy" ">=1.0"],
    extras_require={"plot": ["matplotlib"], "all": ("seaborn", "plotly")},
    tests_require=["pytest"],
)
)");
  EXPECT_THAT(Names(p), ElementsAre("literal-pkg", "numpy", "pandas", "scipy", "matplotlib",
                                    "seaborn", "plotly", "pytest"));
  EXPECT_THAT(p.problems, IsEmpty());
}

TEST(SetupPyTest, Variables) {
  DependencyParse p = ParseSetupPy(R"(
import setuptools
NAME = 'var_pkg'
REQUIRED = [
    'requests', "click",  # comment
]
if True:
    REQUIRED += ["rich"]
BASE = ["attrs"]
EXTRAS = dict(dev=BASE + ["black"], docs=["sphinx", *BASE])
def helper():
    IGNORED = ["not-a-dependency"]
if __name__ == "__main__":
    setuptools.setup(name=NAME, install_requires=REQUIRED, extras_require=EXTRAS)
)");
  EXPECT_THAT(Names(p),
              ElementsAre("var-pkg", "requests", "click", "rich", "attrs", "black", "sphinx"));
  EXPECT_THAT(p.problems, IsEmpty());
}

TEST(SetupPyTest, RequirementsFileAndKwargs) {
  DependencyParse p = ParseSetupPy(R"(
from setuptools import setup
with open("requirements.txt") as f:
    reqs = f.read().splitlines()
config = {"name": "kw-pkg", "install_requires": reqs, "extras_require": {"x": ["lxml"]}}
setup(**config)
)");
  EXPECT_THAT(Names(p), ElementsAre("kw-pkg", "lxml"));
  EXPECT_THAT(p.requirement_files, ElementsAre("requirements.txt"));
  EXPECT_THAT(p.problems, IsEmpty());
}

TEST(SetupPyTest, NotLiteralAndBrokenCode) {
  DependencyParse p = ParseSetupPy("from setuptools import setup\nsetup(install_requires=get())\n");
  EXPECT_THAT(Names(p), IsEmpty());
  EXPECT_THAT(p.problems, ElementsAre(HasSubstr("line 2: install_requires is not a literal")));
  EXPECT_TRUE(p.requirements_unknown);
  p = ParseSetupPy("setup(install_requires=['a'], tests_require=get())\n");
  EXPECT_FALSE(p.requirements_unknown);  // only what the tests need is unknown
  // A syntax error elsewhere does not hide the call.
  p = ParseSetupPy("x = = 1\nsetup(install_requires=['ok'])\n");
  EXPECT_THAT(Names(p), ElementsAre("ok"));
  EXPECT_THAT(p.problems, ElementsAre(HasSubstr("does not parse")));
  // Nothing is executed: only the literal text counts.
  p = ParseSetupPy(
      "import os\nos.system('rm -rf /')\nsetup(name=b'bytes', install_requires=[f'x{1}'])\n");
  EXPECT_THAT(Names(p), IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// Install commands

TEST(InstallCommandTest, Pip) {
  EXPECT_THAT(Names(ParseInstallCommand("pip install numpy pandas")),
              ElementsAre("numpy", "pandas"));
  EXPECT_THAT(Names(ParseInstallCommand("pip install -q -U \"numpy>=1.2\" 'scikit-learn==1.3'")),
              ElementsAre("numpy", "scikit-learn"));
  EXPECT_THAT(Names(ParseInstallCommand("pip3 install --upgrade --quiet transformers[torch]")),
              ElementsAre("transformers"));
  EXPECT_THAT(Names(ParseInstallCommand("python -m pip install requests")),
              ElementsAre("requests"));
  EXPECT_THAT(Names(ParseInstallCommand("python3.11 -m pip install -qq httpx")),
              ElementsAre("httpx"));
  EXPECT_THAT(Names(ParseInstallCommand("{sys.executable} -m pip install polars")),
              ElementsAre("polars"));
  EXPECT_THAT(Names(ParseInstallCommand("uv pip install duckdb")), ElementsAre("duckdb"));
  EXPECT_THAT(Names(ParseInstallCommand(
                  "pip install git+https://github.com/org/repo.git#egg=gitpkg -e . ./local")),
              ElementsAre("gitpkg"));
  EXPECT_THAT(Names(ParseInstallCommand(
                  "pip install --index-url https://x/simple --extra-index-url=https://y "
                  "-f links --no-cache-dir --user torch")),
              ElementsAre("torch"));
  EXPECT_THAT(Names(ParseInstallCommand("!pip install -qU langchain langchain-openai")),
              ElementsAre("langchain", "langchain-openai"));
  EXPECT_THAT(Names(ParseInstallCommand("pip install {package} $OTHER real")), ElementsAre("real"));
  EXPECT_THAT(Names(ParseInstallCommand("pip install pyyaml h5py  # Required, see format.")),
              ElementsAre("pyyaml", "h5py"));
  // A repository without #egg=: its name, and its owner's name with it.
  EXPECT_THAT(Names(ParseInstallCommand("pip install git+https://github.com/tensorflow/docs")),
              ElementsAre("docs", "tensorflow-docs"));
}

TEST(InstallCommandTest, FilesChainsAndRedirections) {
  DependencyParse p = ParseInstallCommand("pip install -r requirements.txt --requirement=dev.txt");
  EXPECT_THAT(Names(p), IsEmpty());
  EXPECT_THAT(p.requirement_files, ElementsAre("requirements.txt", "dev.txt"));
  EXPECT_THAT(Names(ParseInstallCommand(
                  "pip install numpy > /dev/null 2>&1 && pip install pandas; pip install scipy "
                  "| tail -n 1")),
              ElementsAre("numpy", "pandas", "scipy"));
  EXPECT_THAT(Names(ParseInstallCommand("pip install numpy>/dev/null")), ElementsAre("numpy"));
  EXPECT_THAT(Names(ParseInstallCommand("pip install -c constraints.txt only")),
              ElementsAre("only"));
}

TEST(InstallCommandTest, Conda) {
  EXPECT_THAT(Names(ParseInstallCommand("conda install -c conda-forge geopandas -y")),
              ElementsAre("geopandas"));
  EXPECT_THAT(Names(ParseInstallCommand("conda install --yes -c pytorch pytorch torchvision "
                                        "python=3.10 'numpy>=1.2'")),
              ElementsAre("torch", "torchvision", "numpy"));
  EXPECT_THAT(Names(ParseInstallCommand("mamba install -n base conda-forge::xarray")),
              ElementsAre("xarray"));
  EXPECT_THAT(ParseInstallCommand("conda install --file env.txt").requirement_files,
              ElementsAre("env.txt"));
}

TEST(InstallCommandTest, NotInstalls) {
  for (std::string_view c :
       {"apt-get install -y graphviz", "apt install python3-numpy", "pip uninstall -y numpy",
        "pip list", "pip", "ls -la", "", "python script.py", "conda list", "brew install wget",
        "pip download numpy", "conda activate env"}) {
    EXPECT_THAT(Names(ParseInstallCommand(c)), IsEmpty()) << c;
  }
  EXPECT_THAT(Names(ParseInstallCommand("sudo apt-get install x && pip install y")),
              ElementsAre("y"));
}

// ---------------------------------------------------------------------------------------------
// DeclaredDependencies

TEST(DeclaredDependenciesTest, DeclaresImport) {
  DeclaredDependencies d;
  d.distributions = {"scikit-learn",
                     "requests",
                     "opencv-python-headless",
                     "google-cloud-storage",
                     "python-louvain",
                     "python-foo",
                     "bar-py",
                     "jaraco-classes",
                     "pyyaml",
                     "google",
                     "colab-xterm",
                     "gffutils-extra",
                     "scikit-fmm",
                     "torch-geometric"};
  EXPECT_TRUE(d.DeclaresImport("sklearn"));
  EXPECT_TRUE(d.DeclaresImport("sklearn.linear_model"));
  EXPECT_TRUE(d.DeclaresImport("requests"));
  EXPECT_TRUE(d.DeclaresImport("requests.adapters"));
  EXPECT_TRUE(d.DeclaresImport("cv2"));  // an alternative distribution of cv2
  EXPECT_TRUE(d.DeclaresImport("google.cloud.storage"));
  EXPECT_TRUE(d.DeclaresImport("google.cloud.storage.blob"));
  EXPECT_TRUE(d.DeclaresImport("community"));  // python-louvain, from the table
  EXPECT_TRUE(d.DeclaresImport("foo"));        // python-foo, by convention
  EXPECT_TRUE(d.DeclaresImport("bar"));
  EXPECT_TRUE(d.DeclaresImport("jaraco.classes"));
  EXPECT_TRUE(d.DeclaresImport("yaml"));
  EXPECT_TRUE(d.DeclaresImport("colabxterm"));  // the distribution's name without separators
  // Modules the table does not list: a declared name with a suffix, "scikit-" for "sk".
  EXPECT_TRUE(d.DeclaresImport("gffutils.helpers"));
  EXPECT_TRUE(d.DeclaresImport("skfmm"));
  EXPECT_TRUE(d.DeclaresImport("classes"));   // jaraco-classes: an organization's prefix
  EXPECT_FALSE(d.DeclaresImport("skimage"));  // listed: scikit-image provides it
  EXPECT_FALSE(d.DeclaresImport("torch"));    // listed: torch-geometric does not provide it
  EXPECT_FALSE(d.DeclaresImport("gff"));
  EXPECT_FALSE(d.DeclaresImport("numpy"));
  EXPECT_FALSE(d.DeclaresImport("google.cloud.bigquery"));  // "google" is a shared namespace
  EXPECT_FALSE(d.DeclaresImport("jaraco.functools"));
  EXPECT_FALSE(d.DeclaresImport(""));
  EXPECT_FALSE(d.DeclaresImport(".requests"));
  EXPECT_FALSE(DeclaredDependencies().DeclaresImport("requests"));
}

// ---------------------------------------------------------------------------------------------
// DependencyFinder on tests/fixtures/deps

// A copy of tests/fixtures/deps in a temporary directory, with the `.git` marker git cannot
// commit, and a requirements.txt above the repository that must not count.
class FinderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::path fixtures = fs::path(SourceDir()) / "tests/fixtures/deps";
    ASSERT_TRUE(fs::is_directory(fixtures)) << fixtures << "; set CELLFLOW_SOURCE_DIR";
    char tmpl[] = "/tmp/cellflow_deps_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    fs::copy(fixtures, tmp_, fs::copy_options::recursive);
    fs::create_directory(tmp_ / "monorepo/.git");
    std::ofstream(tmp_ / "requirements.txt") << "outside-the-repository\n";
  }
  void TearDown() override {
    std::error_code ec;
    if (!tmp_.empty()) fs::remove_all(tmp_, ec);
  }
  std::string Path(std::string_view rel) const { return (tmp_ / rel).lexically_normal().string(); }

  fs::path tmp_;
};

TEST_F(FinderTest, WalksUpToTheRepositoryRoot) {
  DependencyFinder finder;
  std::shared_ptr<const DeclaredDependencies> d =
      finder.ForDirectory(Path("monorepo/analysis/notebooks"));
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->any_file());
  EXPECT_THAT(
      d->files,
      ElementsAre(Path("monorepo/analysis/requirements-dev.txt"), Path("monorepo/shared-tools.txt"),
                  Path("monorepo/analysis/Pipfile"), Path("monorepo/requirements.txt"),
                  Path("monorepo/requirements/base.txt"), Path("monorepo/pyproject.toml"),
                  Path("monorepo/binder/environment.yml")));
  EXPECT_THAT(
      d->distributions,
      UnorderedElementsAre("pytest", "black", "requests", "ipdb", "numpy", "scipy", "mono-tools",
                           "pandas", "python-dateutil", "plotly", "matplotlib", "pip", "seaborn"));
  EXPECT_THAT(d->problems, IsEmpty());
  EXPECT_TRUE(d->DeclaresImport("dateutil.parser"));
  EXPECT_TRUE(d->DeclaresImport("mono_tools"));  // the repository's own package
  EXPECT_TRUE(d->DeclaresImport("mpl_toolkits.mplot3d"));
  EXPECT_FALSE(d->DeclaresImport("constrained_only"));
  EXPECT_FALSE(d->DeclaresImport("outside_the_repository"));
}

TEST_F(FinderTest, SiblingsDoNotSeeEachOther) {
  DependencyFinder finder;
  auto service = finder.ForDirectory(Path("monorepo/service"));
  EXPECT_THAT(service->distributions,
              IsSupersetOf({"service-core", "flask", "sqlalchemy", "redis", "pytest-cov", "sphinx",
                            "service-extras", "celery", "kombu", "boto3", "numpy", "pandas"}));
  EXPECT_THAT(service->distributions, Not(Contains("requests")));  // analysis/Pipfile
  auto root = finder.ForDirectory(Path("monorepo"));
  EXPECT_THAT(root->distributions, Not(Contains("flask")));
  EXPECT_THAT(root->files, SizeIs(4));
}

// A setup.py that computes install_requires leaves the declarations incomplete, unless a
// setup.cfg beside it declares them; the folders below inherit that.
TEST_F(FinderTest, ComputedRequirementsAreIncomplete) {
  fs::create_directories(tmp_ / "computed/.git");
  fs::create_directories(tmp_ / "computed/docs/notebooks");
  std::ofstream(tmp_ / "computed/setup.py")
      << "from setuptools import setup\nimport configparser\n"
         "setup(install_requires=read_cfg(), extras_require={'docs': ['sphinx']})\n";
  DependencyFinder finder;
  auto d = finder.ForDirectory(Path("computed/docs/notebooks"));
  EXPECT_THAT(d->distributions, Contains("sphinx"));
  EXPECT_TRUE(d->incomplete);

  std::ofstream(tmp_ / "computed/setup.cfg")
      << "[metadata]\nname = computed\ninstall_requires = numpy, astropy\n";
  DependencyFinder again;
  d = again.ForDirectory(Path("computed/docs/notebooks"));
  EXPECT_THAT(d->distributions, IsSupersetOf({"numpy", "astropy", "sphinx"}));
  EXPECT_FALSE(d->incomplete);

  // A requirements file that another names and that is not there declares what is not known.
  fs::create_directories(tmp_ / "partial/.git");
  std::ofstream(tmp_ / "partial/requirements.txt") << "pandas\n-r requirements-base.txt\n";
  d = again.ForDirectory(Path("partial"));
  EXPECT_THAT(d->distributions, Contains("pandas"));
  EXPECT_THAT(d->problems, Contains(HasSubstr("requirements-base.txt")));
  EXPECT_TRUE(d->incomplete);
  EXPECT_FALSE(again.ForDirectory(Path("monorepo/service"))->incomplete);
}

TEST_F(FinderTest, JupyterMetapackageDeclaresWhatItInstalls) {
  fs::create_directory(tmp_ / "course");
  fs::create_directory(tmp_ / "course/.git");
  std::ofstream(tmp_ / "course/requirements.txt") << "jupyter\nnumpy\n";
  DependencyFinder finder;
  auto d = finder.ForDirectory(Path("course"));
  EXPECT_TRUE(d->DeclaresImport("ipywidgets"));
  EXPECT_TRUE(d->DeclaresImport("notebook.services"));
  EXPECT_TRUE(d->DeclaresImport("nbconvert"));
  EXPECT_FALSE(d->DeclaresImport("tqdm"));
  // Without the metapackage, its members are not declared.
  fs::create_directory(tmp_ / "lab");
  fs::create_directory(tmp_ / "lab/.git");
  std::ofstream(tmp_ / "lab/requirements.txt") << "jupyterlab\n";
  EXPECT_FALSE(finder.ForDirectory(Path("lab"))->DeclaresImport("ipywidgets"));
}

TEST_F(FinderTest, IncludeCyclesAreReported) {
  DependencyFinder finder;
  auto d = finder.ForDirectory(Path("monorepo/cycle"));
  EXPECT_THAT(d->distributions, IsSupersetOf({"first", "second"}));
  EXPECT_THAT(d->problems, Contains(HasSubstr("which includes it")));
}

TEST_F(FinderTest, ExtraFilesAndRootDirectories) {
  std::ofstream(tmp_ / "extra.txt") << "extra-package\n";
  // Without .git the walk would reach the decoy; a root directory stops it.
  fs::remove(tmp_ / "monorepo/.git");
  DependencyFinder finder({Path("extra.txt")}, {Path("monorepo")});
  auto d = finder.ForDirectory(Path("monorepo/analysis/notebooks/"));
  EXPECT_THAT(d->distributions, Contains("extra-package"));
  EXPECT_THAT(d->distributions, Not(Contains("outside-the-repository")));
  EXPECT_EQ(d->files.back(), Path("extra.txt"));
  // Missing extra files are a problem, not a failure.
  DependencyFinder missing({Path("no-such-file.txt")}, {Path("monorepo")});
  EXPECT_THAT(missing.ForDirectory(Path("monorepo"))->problems,
              Contains(HasSubstr("no-such-file.txt")));
}

TEST_F(FinderTest, NonexistentDirectoryAndRelativePaths) {
  DependencyFinder finder;
  auto d = finder.ForDirectory(Path("monorepo/analysis/no/such/dir"));
  EXPECT_THAT(d->distributions, IsSupersetOf({"requests", "numpy"}));
  std::error_code ec;
  fs::path cwd = fs::current_path();
  fs::current_path(tmp_ / "monorepo/service", ec);
  ASSERT_FALSE(ec);
  auto relative = finder.ForDirectory(".");
  fs::current_path(cwd);
  EXPECT_EQ(relative, finder.ForDirectory(Path("monorepo/service")));
  // A folder without dependency files shares its parent's result.
  EXPECT_EQ(finder.ForDirectory(Path("monorepo/analysis/notebooks")),
            finder.ForDirectory(Path("monorepo/analysis")));
}

TEST_F(FinderTest, CachedAndThreadSafe) {
  DependencyFinder finder;
  std::vector<std::string> dirs = {Path("monorepo/analysis/notebooks"),
                                   Path("monorepo/analysis"),
                                   Path("monorepo/service"),
                                   Path("monorepo/cycle"),
                                   Path("monorepo"),
                                   Path("monorepo/requirements")};
  std::vector<std::thread> threads;
  std::vector<std::vector<std::shared_ptr<const DeclaredDependencies>>> seen(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (const std::string& dir : dirs) seen[t].push_back(finder.ForDirectory(dir));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 1; t < 4; ++t) EXPECT_EQ(seen[t], seen[0]);
  // Every file once: 7 around analysis, 2 in service, 2 in cycle.
  EXPECT_EQ(finder.FilesRead(), 11u);
  size_t before = finder.FilesRead();
  finder.ForDirectory(Path("monorepo/analysis/notebooks"));
  EXPECT_EQ(finder.FilesRead(), before);
}

// ---------------------------------------------------------------------------------------------
// Garbage never crashes

std::string RandomBytes(std::mt19937* rng, size_t n, std::string_view alphabet = {}) {
  std::string s(n, '\0');
  for (char& c : s) {
    c = alphabet.empty() ? static_cast<char>((*rng)() & 0xff)
                         : alphabet[(*rng)() % alphabet.size()];
  }
  return s;
}

TEST(GarbageTest, EveryReaderSurvives) {
  std::mt19937 rng(20240601);
  constexpr std::string_view kSyntax =
      "abcXYZ019 -_.[](){}<>=!~;@:#\"'\\/\n\r\t,*+&|$%^?`=egg=-r -e pip: - [tool.poetry]\n";
  std::vector<std::string> inputs = {"",
                                     "\n",
                                     "\\",
                                     "[",
                                     "\"",
                                     "- pip:\n  - \"",
                                     "setup(",
                                     std::string(1, '\0'),
                                     "[project]\ndependencies=[",
                                     "-r"};
  for (int i = 0; i < 200; ++i) {
    inputs.push_back(RandomBytes(&rng, rng() % 400));
    inputs.push_back(RandomBytes(&rng, rng() % 400, kSyntax));
  }
  inputs.push_back(std::string(1 << 20, 'a'));            // one huge name
  inputs.push_back(std::string(1 << 20, '['));            // deep brackets
  inputs.push_back(std::string(100000, '\\') + "numpy");  // continuation after continuation
  inputs.push_back("setup(install_requires=" + std::string(5000, '[') + ")");
  inputs.push_back("x = " + std::string(3000, '[') + "\n");  // deep TOML arrays
  for (const std::string& in : inputs) {
    for (DependencyFileKind kind :
         {DependencyFileKind::kRequirements, DependencyFileKind::kEnvironment,
          DependencyFileKind::kPyproject, DependencyFileKind::kPipfile,
          DependencyFileKind::kSetupCfg, DependencyFileKind::kSetupPy}) {
      DependencyParse p = ParseDependencyFile(kind, in);
      for (const std::string& d : p.distributions) EXPECT_FALSE(d.empty());
    }
    ParseInstallCommand(in);
    RequirementName(in);
  }
}

TEST(GarbageTest, DeepIncludeChains) {
  char tmpl[] = "/tmp/cellflow_chain_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  fs::path dir = tmpl;
  fs::create_directory(dir / ".git");
  // requirements.txt → r1.txt → ... → r100.txt: the guard stops the walk.
  std::ofstream(dir / "requirements.txt") << "pkg0\n-r r1.txt\n";
  for (int i = 1; i <= 100; ++i) {
    std::ofstream(dir / StrCat("r", i, ".txt")) << "pkg" << i << "\n-r r" << i + 1 << ".txt\n";
  }
  DependencyFinder finder;
  auto d = finder.ForDirectory(dir.string());
  EXPECT_TRUE(d->distributions.contains("pkg0"));
  EXPECT_TRUE(d->distributions.contains("pkg16"));
  EXPECT_FALSE(d->distributions.contains("pkg50"));
  EXPECT_THAT(d->problems, Contains(HasSubstr("nested deeper than")));
  std::error_code ec;
  fs::remove_all(dir, ec);
}

// ---------------------------------------------------------------------------------------------
// The dependency files of ../shared/corpus

fs::path CorpusDir() { return fs::path(SourceDir()) / "../shared/corpus"; }

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CorpusTest, EveryDependencyFileReads) {
  if (!fs::is_directory(CorpusDir())) GTEST_SKIP() << CorpusDir() << " not found";
  size_t files = 0;
  size_t with_names = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(CorpusDir())) {
    if (!e.is_regular_file()) continue;
    std::optional<DependencyFileKind> kind = DependencyFileKindOf(e.path().filename().string());
    if (!kind) continue;
    DependencyParse p = ParseDependencyFile(*kind, ReadAll(e.path()));
    ++files;
    with_names += !p.distributions.empty() || !p.requirement_files.empty();
    EXPECT_THAT(p.problems, IsEmpty()) << e.path();
  }
  EXPECT_GT(files, 40u);
  // The setup.py files of the corpus are stubs without their setup() call.
  EXPECT_GE(with_names + 4, files);
}

TEST(CorpusTest, WhatTheFinderDeclares) {
  if (!fs::is_directory(CorpusDir())) GTEST_SKIP() << CorpusDir() << " not found";
  fs::path corpus = fs::canonical(CorpusDir());
  std::vector<std::string> roots;
  for (const fs::directory_entry& e : fs::directory_iterator(corpus)) {
    if (e.is_directory()) roots.push_back(e.path().string());
  }
  DependencyFinder finder({}, roots);
  // conda's "- pip: [-r requirements.txt]" is followed.
  auto handbook =
      finder.ForDirectory((corpus / "jakevdp__PythonDataScienceHandbook/notebooks").string());
  EXPECT_THAT(handbook->distributions,
              IsSupersetOf({"numpy", "pandas", "scikit-learn", "seaborn", "netcdf4"}));
  EXPECT_TRUE(handbook->DeclaresImport("sklearn.datasets"));
  EXPECT_TRUE(handbook->DeclaresImport("netCDF4"));
  // A project's own name counts.
  auto papermill = finder.ForDirectory((corpus / "nteract__papermill/binder").string());
  EXPECT_TRUE(papermill->DeclaresImport("papermill"));
  EXPECT_TRUE(papermill->DeclaresImport("matplotlib.pyplot"));  // binder/requirements.txt
  // Pipfiles in a sub-project do not leak to their siblings.
  auto zoomcamp = corpus / "DataTalksClub__mlops-zoomcamp";
  auto batch = finder.ForDirectory((zoomcamp / "04-deployment/batch").string());
  EXPECT_TRUE(batch->DeclaresImport("prefect"));
  auto web = finder.ForDirectory((zoomcamp / "04-deployment/web-service-mlflow").string());
  EXPECT_FALSE(web->DeclaresImport("prefect"));
  EXPECT_TRUE(web->DeclaresImport("flask"));
  // Repositories without any dependency file declare nothing.
  auto none = finder.ForDirectory((corpus / "Bcliffwm__python-api-challenge").string());
  EXPECT_FALSE(none->any_file());
}

}  // namespace
}  // namespace cellflow
