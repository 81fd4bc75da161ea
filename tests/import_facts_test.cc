// Tests of CollectImportFacts: what a notebook's code says about its own import surroundings
// (sys.path edits, working directory moves, import hooks, downloads, install lines), wherever in
// a cell the words sit.
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "parser/arena.h"
#include "parser/parser.h"
#include "passes/imports.h"

namespace cellflow {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

ImportFacts FactsOf(const std::string& source) {
  Arena arena;
  ParseOptions options;
  options.ipython = true;
  ParseResult parsed = Parse(source, &arena, options);
  EXPECT_TRUE(parsed.errors.empty()) << source;
  std::vector<ImportCell> cells{{parsed.module, 0}};
  ImportFacts facts;
  CollectImportFacts(cells, source, &facts);
  return facts;
}

// Every statement is tried after padding of every length from 0 to 40, so its words fall at
// every position of the 16-byte blocks the scan reads, and in the tail after the last block.
TEST(ImportFacts, FoundAtEveryOffset) {
  for (size_t pad = 0; pad <= 40; ++pad) {
    std::string prefix = "x = '" + std::string(pad, 'a') + "'\n";
    SCOPED_TRACE(pad);
    EXPECT_THAT(FactsOf(prefix + "import sys\nsys.path.append('lib')\n").sys_path,
                ElementsAre("lib"));
    EXPECT_THAT(FactsOf(prefix + "sys.path.insert(0, '../src')").sys_path, ElementsAre("../src"));
    EXPECT_TRUE(FactsOf(prefix + "sys.meta_path.append(finder)\n").import_hooks);
    EXPECT_TRUE(FactsOf(prefix + "sys.path_hooks.append(hook)\n").import_hooks);
    EXPECT_THAT(FactsOf(prefix + "!pip install requests\n").install_commands, SizeIs(1));
    EXPECT_THAT(FactsOf(prefix + "!wget https://example.org/helpers.py\n").downloaded_files,
                ElementsAre("helpers.py"));
    EXPECT_THAT(FactsOf(prefix + "%cd ..\n").sys_path, ElementsAre(".."));
    EXPECT_THAT(FactsOf(prefix + "import os\nos.chdir('work')\n").sys_path, ElementsAre("work"));
    EXPECT_TRUE(FactsOf(prefix + "!git clone {REPO_URL} /content/repo\n").fetches_files);
  }
}

// A clone fetches code whatever its URL is written as: a variable, or a subprocess's arguments.
TEST(ImportFacts, ClonesWithoutALiteralUrl) {
  EXPECT_TRUE(FactsOf("url = get_url()\n!git clone $url\n").fetches_files);
  EXPECT_TRUE(
      FactsOf("import subprocess\nsubprocess.run(['git', 'clone', url, 'repo'])\n").fetches_files);
  EXPECT_FALSE(FactsOf("cloned = model.clone()\nparts = ['git', 'log']\n").fetches_files);
}

// %cd and os.chdir move the kernel's working directory, from which it imports: each literal
// move is a search directory, relative to the one before. A shell's cd, a bookmark, the
// previous directory, a variable and the home directory are not followed.
TEST(ImportFacts, WorkingDirectoryMoves) {
  EXPECT_THAT(FactsOf("%cd ..\nimport os\nos.chdir('src')\n%cd -q \"lib dir\"\n").sys_path,
              ElementsAre("..", "../src", "../src/lib dir"));
  EXPECT_THAT(FactsOf("%cd /abs/path\n%cd rel\n").sys_path,
              ElementsAre("/abs/path", "/abs/path/rel"));
  EXPECT_THAT(FactsOf("import os\nos.chdir(os.path.join('..', 'data'))\n").sys_path,
              ElementsAre("../data"));
  EXPECT_THAT(FactsOf("!cd ..\n%cd -\n%cd -b mark\n%cd $d\n%cd {d}\n%cd ~/x\n%cd\n"
                      "%%cd x\nos.chdir(d)\nos.chdir('a', 'b')\nchdir('x')\n")
                  .sys_path,
              IsEmpty());
}

// site.addsitedir(DIR) and `sys.path = [...] + sys.path` add directories too; a sys.path made
// of anything else may hold any directory.
TEST(ImportFacts, SiteDirectoriesAndSysPathAssigned) {
  EXPECT_THAT(FactsOf("import site\nsite.addsitedir('../src')\n").sys_path, ElementsAre("../src"));
  EXPECT_THAT(FactsOf("import sys\nsys.path = ['../lib', 'x'] + sys.path\n").sys_path,
              ElementsAre("../lib", "x"));
  EXPECT_THAT(FactsOf("import sys\nsys.path = sys.path + ['../tools']\n").sys_path,
              ElementsAre("../tools"));
  ImportFacts facts = FactsOf("import sys\nsys.path = paths\n");
  EXPECT_THAT(facts.sys_path, IsEmpty());
  EXPECT_TRUE(facts.dynamic_search_path);
  EXPECT_THAT(FactsOf("addsitedir('x')\nother.addsitedir('y')\n").sys_path, IsEmpty());
}

// A relative sys.path entry, and os.getcwd(), name the directory the kernel has moved to.
TEST(ImportFacts, SysPathAfterAMoveIsRelativeToIt) {
  EXPECT_THAT(FactsOf("%cd ..\nimport os, sys\nsys.path.insert(0, os.path.join(os.getcwd(), "
                      "'src'))\nsys.path.append('lib')\nsys.path.append('/opt/x')\n")
                  .sys_path,
              ElementsAre("..", "../src", "../lib", "/opt/x"));
  EXPECT_THAT(FactsOf("import sys\nsys.path.append('lib')\n").sys_path, ElementsAre("lib"));
}

TEST(ImportFacts, NearMissesAreNotFacts) {
  ImportFacts facts = FactsOf(
      "import os\np = os.path.join('a', 'b')\nok = isinstance(p, str)\n"
      "d = {'path': 1, 'url': 'a:/b'}\nmypath = 'sys'\n");
  EXPECT_THAT(facts.sys_path, IsEmpty());
  EXPECT_THAT(facts.install_commands, IsEmpty());
  EXPECT_THAT(facts.downloaded_files, IsEmpty());
  EXPECT_FALSE(facts.import_hooks);
}

// Module files the notebook copies, moves, links, downloads under a name or opens for writing,
// beside it; not those elsewhere, read, or only run.
TEST(ImportFacts, ModuleFilesTheNotebookMakes) {
  EXPECT_THAT(FactsOf("!cp ../common/helpers.py .\n!cp lib/a.py ./b.py && mv b.py c.py\n"
                      "!ln -s ../shared/d.py\n!wget -q -O e.py $URL\n!curl -L -o f.py $URL\n")
                  .made_files,
              ElementsAre("helpers.py", "b.py", "c.py", "d.py", "e.py", "f.py"));
  EXPECT_THAT(FactsOf("import shutil, gdown, os\nshutil.copy('src/g.py', 'g.py')\n"
                      "shutil.copyfile('h0.py', './h.py')\nshutil.copy('lib/i.py', '.')\n"
                      "gdown.download(url, 'j.py', quiet=False)\n"
                      "urllib.request.urlretrieve(url, filename='k.py')\n"
                      "with open('l.py', 'w') as f:\n    f.write(code)\n"
                      "os.system('cp x/m.py .')\n")
                  .made_files,
              ElementsAre("g.py", "h.py", "i.py", "j.py", "k.py", "l.py", "m.py"));
  EXPECT_THAT(FactsOf("!python train.py\n%run helpers.py\n!cp a.py lib/\n!cp a.py lib/b.py\n"
                      "text = open('n.py').read()\nopen('o.py', 'r')\nx = 'p.py'\n"
                      "shutil.copy(src, 'q.py.bak')\n!cp a.txt b.txt\n!cp\n!\n")
                  .made_files,
              IsEmpty());
}

// Only statements near the words are walked: every statement that holds one still counts,
// whatever sits between them (comments with URLs, statements without facts, decorators).
TEST(ImportFacts, EveryStatementWithAWordCounts) {
  ImportFacts facts = FactsOf(
      "import sys\n"
      "# see https://example.org/docs\n"
      "x = 1\n"
      "sys.path.append('a')\n"
      "y = [i for i in range(3)]\n"
      "if x:\n"
      "    sys.path.insert(0, 'b')\n"
      "@register(sys.path.append('c'))\n"
      "def f():\n"
      "    pass\n"
      "z = 'https://example.org/helpers.py'\n"
      "!pip install requests\n");
  EXPECT_THAT(facts.sys_path, ElementsAre("a", "b", "c"));
  EXPECT_THAT(facts.downloaded_files, ElementsAre("helpers.py"));
  EXPECT_THAT(facts.install_commands, SizeIs(1));
}

// Relative moves stop once the path would be longer than any system takes.
TEST(ImportFacts, ManyWorkingDirectoryMovesStayBounded) {
  std::string source;
  for (int i = 0; i < 5000; ++i) source += "%cd sub\n";
  ImportFacts facts = FactsOf(source);
  ASSERT_FALSE(facts.sys_path.empty());
  EXPECT_LT(facts.sys_path.size(), 5000u);
  for (const std::string& p : facts.sys_path) EXPECT_LE(p.size(), 4096u);
  EXPECT_EQ(facts.sys_path[1], "sub/sub");
}

// Path expressions: pathlib's forms, and a variable assigned a literal path before (in the same
// cell or an earlier one; the last assignment before the use counts).
TEST(ImportFacts, PathExpressions) {
  EXPECT_THAT(FactsOf("sys.path.insert(0, str(Path.cwd().parent))").sys_path, ElementsAre(".."));
  EXPECT_THAT(FactsOf("sys.path.append(str(Path().resolve().parent))").sys_path, ElementsAre(".."));
  EXPECT_THAT(FactsOf("sys.path.append(str(Path('..') / 'src'))").sys_path, ElementsAre("../src"));
  EXPECT_THAT(FactsOf("sys.path.append(str(Path('lib/sub').parent))").sys_path, ElementsAre("lib"));
  EXPECT_THAT(FactsOf("p = os.path.abspath(os.path.join('..'))\n"
                      "if p not in sys.path:\n    sys.path.append(p)\n")
                  .sys_path,
              ElementsAre(".."));
  EXPECT_THAT(FactsOf("p = 'a'\np = 'b'\nsys.path.append(p)\np = 'c'\n").sys_path,
              ElementsAre("b"));
  EXPECT_THAT(FactsOf("sys.path.append(p)\np = 'late'\n").sys_path, IsEmpty());
  EXPECT_THAT(
      FactsOf("root = os.path.dirname(os.getcwd())\nsys.path.append(root + '/src')\n").sys_path,
      ElementsAre("../src"));
  EXPECT_THAT(FactsOf("sys.path.append(str(Path.cwd().parents[1] / 'lib'))").sys_path,
              ElementsAre("../../lib"));
  EXPECT_THAT(FactsOf("REPO = '..'\nsys.path.insert(0, f'{REPO}/src')\n").sys_path,
              ElementsAre("../src"));
  EXPECT_TRUE(FactsOf("sys.path.insert(0, f'{REPO!r}/src')\n").dynamic_search_path);
  // A notebook has no __file__; an index that is not a small literal is not followed.
  EXPECT_THAT(FactsOf("sys.path.append(os.path.dirname(__file__))").sys_path, IsEmpty());
  EXPECT_TRUE(FactsOf("sys.path.append(str(Path.cwd().parents[n]))").dynamic_search_path);
  EXPECT_THAT(FactsOf("p = q\nq = p\nsys.path.append(p)\n").sys_path, IsEmpty());

  // Across cells.
  Arena arena;
  ParseOptions options;
  options.ipython = true;
  const std::string source =
      "root = Path('..') / 'pkgs'\n"
      "sys.path.append(str(root))\n";
  const size_t split = source.find("sys");
  ParseResult first = Parse(source, 0, static_cast<Offset>(split), &arena, options);
  ParseResult second = Parse(source, static_cast<Offset>(split), static_cast<Offset>(source.size()),
                             &arena, options);
  std::vector<ImportCell> cells{{first.module, 1}, {second.module, 2}};
  ImportFacts facts;
  CollectImportFacts(cells, source, &facts);
  EXPECT_THAT(facts.sys_path, ElementsAre("../pkgs"));
}

// What a module's code adds to sys.path when it runs: paths built from its __file__ are
// absolute; others are the working directory's.
TEST(ImportFacts, ModuleSearchPath) {
  auto paths = [](const std::string& source, bool* dynamic) {
    Arena arena;
    ParseResult parsed = Parse(source, &arena, {});
    EXPECT_TRUE(parsed.errors.empty()) << source;
    std::vector<std::string> out;
    ModuleSearchPath(parsed.module, source, "/repo/notebooks/context.py", &out, dynamic);
    return out;
  };
  bool dynamic = false;
  EXPECT_THAT(paths("import os, sys\nsys.path.insert(0, os.path.abspath(os.path.join("
                    "os.path.dirname(__file__), '..')))\n",
                    &dynamic),
              ElementsAre("/repo/notebooks/.."));
  EXPECT_FALSE(dynamic);
  EXPECT_THAT(
      paths("ROOT = Path(__file__).resolve().parents[1]\nsys.path.append(str(ROOT / 'src'))\n",
            &dynamic),
      ElementsAre("/repo/src"));
  EXPECT_THAT(paths("sys.path.append('..')\nos.chdir('data')\n", &dynamic),
              ElementsAre("..", "data"));
  EXPECT_FALSE(dynamic);
  EXPECT_THAT(paths("sys.path.append(find_root())\n", &dynamic), IsEmpty());
  EXPECT_TRUE(dynamic);
  EXPECT_THAT(paths("x = 1\n", &dynamic), IsEmpty());
  EXPECT_FALSE(dynamic);
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "sys.path.append('lib" + std::to_string(i) + "')\n";
  EXPECT_THAT(paths(many, &dynamic), IsEmpty());
  EXPECT_TRUE(dynamic);
}

// Install lines however the installer is started; ParseInstallCommand reads what they install.
TEST(ImportFacts, InstallLines) {
  ImportFacts facts = FactsOf(
      "import sys\n!{sys.executable} -m pip install numpy\n%pip install -q pandas\n"
      "!conda install -y -c conda-forge altair\nx = 'install'\n");
  EXPECT_THAT(facts.install_commands,
              ElementsAre("{sys.executable} -m pip install numpy", "pip install -q pandas",
                          "conda install -y -c conda-forge altair"));
}

// The same written as calls: a notebook exported as a script, os.system, subprocess.
TEST(ImportFacts, InstallCalls) {
  ImportFacts facts = FactsOf(
      "import os, subprocess, sys\n"
      "get_ipython().system('pip install -q aisuite')\n"
      "get_ipython().run_line_magic('pip', 'install trustcall')\n"
      "os.system('pip install langmem')\n"
      "subprocess.check_call([sys.executable, '-m', 'pip', 'install', 'mem0ai'])\n"
      "subprocess.run('conda install -y xarray', shell=True)\n"
      "subprocess.run(['ls', '-l'])\n"
      "os.system(command)\n");
  EXPECT_THAT(facts.install_commands,
              ElementsAre("pip install -q aisuite", "pip install trustcall", "pip install langmem",
                          "python -m pip install mem0ai", "conda install -y xarray"));
}

TEST(ImportFacts, ShortCells) {
  EXPECT_THAT(FactsOf("sys.path += ['x']").sys_path, ElementsAre("x"));
  EXPECT_THAT(FactsOf("a").sys_path, IsEmpty());
  EXPECT_THAT(FactsOf("").sys_path, IsEmpty());
}

}  // namespace
}  // namespace cellflow
