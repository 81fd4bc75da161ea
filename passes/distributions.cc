// The import-name table (data/import_names.tsv, turned into import_names.inc by the build) and
// lookups by longest dotted prefix.
#include "passes/distributions.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace cellflow {
namespace {

constexpr ImportEnvironment EnvironmentOf(std::string_view flags) {
  if (flags == "kernel") return ImportEnvironment::kKernel;
  if (flags == "colab") return ImportEnvironment::kColab;
  if (flags == "kaggle") return ImportEnvironment::kKaggle;
  if (flags == "pyodide") return ImportEnvironment::kPyodide;
  return ImportEnvironment::kNone;
}

struct Row {
  ImportNameEntry entry;
  int file_order;  // the row's position in data/import_names.tsv
};

// Sorted by import name (the build sorts them).
constexpr Row kRows[] = {
#define IMPORT_NAME(name, distributions, flags, row) \
  {{name, std::string_view(distributions) == "-" ? "" : distributions, EnvironmentOf(flags)}, row},
#include "import_names.inc"
#undef IMPORT_NAME
};

static_assert(std::adjacent_find(std::begin(kRows), std::end(kRows),
                                 [](const Row& a, const Row& b) {
                                   return !(a.entry.import_name < b.entry.import_name);
                                 }) == std::end(kRows),
              "import_names.inc must be sorted by import name, one row each");

const ImportNameEntry* FindExact(std::string_view name) {
  const auto* it =
      std::lower_bound(std::begin(kRows), std::end(kRows), name,
                       [](const Row& r, std::string_view n) { return r.entry.import_name < n; });
  return it != std::end(kRows) && it->entry.import_name == name ? &it->entry : nullptr;
}

// The length of `component` without a Google-style API version suffix ("_v1", "_v1beta1",
// "_v1p3beta1", "_v2alpha"); its whole length if it has none.
size_t WithoutApiVersion(std::string_view component) {
  size_t v = component.rfind("_v");
  if (v == std::string_view::npos || v == 0) return component.size();
  std::string_view rest = component.substr(v + 2);
  auto digits = [&rest] {
    size_t n = 0;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    rest.remove_prefix(n);
    return n;
  };
  if (digits() == 0) return component.size();
  if (!rest.empty() && rest[0] == 'p') {
    rest.remove_prefix(1);
    if (digits() == 0) return component.size();
  }
  for (std::string_view stage : {"alpha", "beta"}) {
    if (rest.substr(0, stage.size()) == stage) {
      rest.remove_prefix(stage.size());
      digits();
      break;
    }
  }
  return rest.empty() ? v : component.size();
}

}  // namespace

bool SameWithoutSeparators(std::string_view distribution, std::string_view module) {
  if (distribution.find('-') == std::string_view::npos) return false;
  size_t m = 0;
  for (char c : distribution) {
    if (c == '-') continue;
    if (m == module.size()) return false;
    char x = module[m++];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != c) return false;  // an underscore never matches: `c` is no separator
  }
  return m > 0 && m == module.size();
}

std::string NormalizeDistributionName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool in_separator = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_separator) out.push_back('-');
      in_separator = true;
      continue;
    }
    in_separator = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

const ImportNameEntry* FindImportName(std::string_view module) {
  // Only dotted names: no empty component ("", ".x", "x.", "x..y").
  if (module.empty() || module.front() == '.' || module.back() == '.' ||
      module.find("..") != std::string_view::npos) {
    return nullptr;
  }
  std::string_view prefix = module;
  while (!prefix.empty()) {
    if (const ImportNameEntry* e = FindExact(prefix)) return e;
    // "google.cloud.vision_v1p3beta1" is a version of "google.cloud.vision".
    size_t dot = prefix.rfind('.');
    size_t start = dot == std::string_view::npos ? 0 : dot + 1;
    size_t unversioned = WithoutApiVersion(prefix.substr(start));
    if (start > 0 && unversioned < prefix.size() - start) {
      if (const ImportNameEntry* e = FindExact(prefix.substr(0, start + unversioned))) return e;
    }
    if (dot == std::string_view::npos) break;
    prefix = prefix.substr(0, dot);
  }
  return nullptr;
}

std::string_view DistributionForImport(std::string_view module) {
  const ImportNameEntry* e = FindImportName(module);
  if (e == nullptr) return {};
  return e->distributions.substr(0, e->distributions.find(','));
}

std::vector<std::string_view> DistributionsForImport(std::string_view module) {
  std::vector<std::string_view> out;
  const ImportNameEntry* e = FindImportName(module);
  if (e == nullptr) return out;
  std::string_view rest = e->distributions;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    out.push_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

std::string_view PopularDistributionForImport(std::string_view module) {
  // Sorted by module name (scripts/gen_popular_distributions.py writes them so).
  static constexpr std::string_view kPopular[] = {
#include "popular_distributions.inc"
  };
  std::string_view top = module.substr(0, module.find('.'));
  if (top.empty()) return {};
  // The module name a project is listed under: lower case, '-' and '.' as '_'.
  auto module_of = [](std::string_view project, size_t i) {
    char c = project[i];
    if (c == '-' || c == '.') return '_';
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  auto less = [&](std::string_view project, std::string_view name) {
    for (size_t i = 0; i < project.size() && i < name.size(); ++i) {
      char a = module_of(project, i);
      if (a != name[i]) return a < name[i];
    }
    return project.size() < name.size();
  };
  const auto* it = std::lower_bound(std::begin(kPopular), std::end(kPopular), top, less);
  if (it == std::end(kPopular) || it->size() != top.size()) return {};
  for (size_t i = 0; i < top.size(); ++i) {
    if (module_of(*it, i) != top[i]) return {};
  }
  return *it;
}

bool IsKnownThirdParty(std::string_view module) { return FindImportName(module) != nullptr; }

ImportEnvironment EnvironmentForImport(std::string_view module) {
  const ImportNameEntry* e = FindImportName(module);
  return e != nullptr ? e->environment : ImportEnvironment::kNone;
}

size_t ImportNameCount() { return std::size(kRows); }

const std::vector<std::string_view>& KnownTopLevelImports() {
  // Made on first use: only hints ask for it.
  static const auto* top_level = [] {
    auto* names = new std::vector<std::string_view>;
    for (const Row& r : kRows) {
      const std::string_view name = r.entry.import_name;
      if (name.find('.') == std::string_view::npos) names->push_back(name);
    }
    return names;  // sorted and unique, as the rows are
  }();
  return *top_level;
}

std::string_view ImportNameOfDistribution(std::string_view name) {
  // Normalized distribution name → the top-level module of the first row (in the file's order)
  // that lists it. Made on first use: only hints ask for it.
  using ModuleOf = absl::flat_hash_map<std::string, std::pair<int, std::string_view>>;
  static const ModuleOf* module_of = [] {
    auto* m = new ModuleOf;
    for (const auto& [e, order] : kRows) {
      if (e.import_name.find('.') != std::string_view::npos) continue;
      for (std::string_view rest = e.distributions; !rest.empty();) {
        size_t comma = rest.find(',');
        auto [it, added] =
            m->try_emplace(NormalizeDistributionName(rest.substr(0, comma)), order, e.import_name);
        if (!added && order < it->second.first) it->second = {order, e.import_name};
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
    }
    return m;
  }();
  std::string normalized = NormalizeDistributionName(name);
  auto it = module_of->find(normalized);
  if (it == module_of->end() || NormalizeDistributionName(it->second.second) == normalized) {
    return {};
  }
  return it->second.second;
}

namespace {

// Well-known distributions and the distributions they require unconditionally (PEP 503 names,
// from the Requires-Dist of recent releases; extras and platform markers left out). A notebook
// that imports one of these without declaring it still finds it installed where a declared
// distribution requires it.
constexpr std::pair<std::string_view, std::string_view> kRequires[] = {
    {"accelerate", "numpy,packaging,psutil,pyyaml,torch,huggingface-hub,safetensors"},
    {"arviz", "numpy,scipy,pandas,matplotlib,xarray,h5netcdf,packaging"},
    {"beautifulsoup4", "soupsieve"},
    {"bokeh", "jinja2,numpy,pandas,pillow,pyyaml,tornado,xyzservices,contourpy,packaging"},
    {"catboost", "numpy,pandas,scipy,matplotlib,plotly,six,graphviz"},
    {"category-encoders", "numpy,scikit-learn,scipy,statsmodels,pandas,patsy"},
    {"datasets",
     "numpy,pyarrow,pandas,requests,tqdm,xxhash,multiprocess,fsspec,huggingface-hub,pyyaml,dill,"
     "filelock,aiohttp,packaging"},
    {"diffusers", "huggingface-hub,numpy,pillow,requests,regex,safetensors,filelock"},
    {"dm-haiku", "absl-py,jmp,numpy,tabulate"},
    {"fastai",
     "torch,torchvision,matplotlib,pandas,requests,pyyaml,fastprogress,pillow,scikit-learn,scipy,"
     "spacy,fastcore,fastdownload,packaging,cloudpickle"},
    {"flax", "jax,numpy,optax,msgpack,orbax-checkpoint,tensorstore,rich,typing-extensions,pyyaml"},
    {"folium", "branca,jinja2,numpy,requests,xyzservices"},
    {"geopandas", "numpy,pandas,shapely,pyproj,packaging,pyogrio"},
    {"gensim", "numpy,scipy,smart-open"},
    {"h5py", "numpy"},
    {"huggingface-hub", "requests,tqdm,pyyaml,filelock,fsspec,packaging,typing-extensions"},
    {"imageio", "numpy,pillow"},
    {"imbalanced-learn", "numpy,scipy,scikit-learn,joblib,threadpoolctl"},
    {"ipython", "pygments,traitlets,jedi,decorator,prompt-toolkit,matplotlib-inline,pexpect"},
    {"ipywidgets", "ipython,traitlets,comm,widgetsnbextension,jupyterlab-widgets"},
    {"jax", "numpy,scipy,ml-dtypes,opt-einsum,jaxlib"},
    {"keras", "numpy,h5py,absl-py,rich,namex,optree,ml-dtypes,packaging"},
    {"librosa",
     "numpy,scipy,scikit-learn,joblib,numba,soundfile,audioread,decorator,pooch,soxr,lazy-loader,"
     "msgpack"},
    {"lightgbm", "numpy,scipy"},
    {"lightning", "torch,tqdm,pyyaml,fsspec,torchmetrics,packaging,lightning-utilities"},
    {"matplotlib",
     "contourpy,cycler,fonttools,kiwisolver,numpy,packaging,pillow,pyparsing,python-dateutil"},
    {"mlxtend", "scipy,numpy,pandas,scikit-learn,matplotlib,joblib"},
    {"nltk", "click,joblib,regex,tqdm"},
    {"numba", "numpy,llvmlite"},
    {"openai", "httpx,pydantic,tqdm,anyio,distro,typing-extensions,sniffio"},
    {"opencv-contrib-python", "numpy"},
    {"opencv-python", "numpy"},
    {"opencv-python-headless", "numpy"},
    {"openpyxl", "et-xmlfile"},
    {"optax", "jax,jaxlib,numpy,absl-py,chex,etils"},
    {"pandas", "numpy,python-dateutil,pytz,tzdata"},
    {"pandas-datareader", "pandas,requests,lxml"},
    {"peft",
     "numpy,packaging,psutil,pyyaml,torch,transformers,tqdm,accelerate,safetensors,huggingface-"
     "hub"},
    {"pmdarima", "numpy,scipy,scikit-learn,statsmodels,pandas,joblib,cython,urllib3,packaging"},
    {"prophet", "cmdstanpy,numpy,matplotlib,pandas,holidays,tqdm"},
    {"pymc", "numpy,scipy,pandas,arviz,pytensor,cloudpickle,cachetools,rich,threadpoolctl"},
    {"pyspark", "py4j"},
    {"pytorch-lightning", "torch,tqdm,pyyaml,fsspec,torchmetrics,packaging,lightning-utilities"},
    {"requests", "urllib3,idna,certifi,charset-normalizer"},
    {"scikit-image", "numpy,scipy,networkx,pillow,imageio,tifffile,packaging,lazy-loader"},
    {"scikit-learn", "numpy,scipy,joblib,threadpoolctl"},
    {"scipy", "numpy"},
    {"seaborn", "numpy,pandas,matplotlib"},
    {"sentence-transformers",
     "transformers,torch,numpy,scikit-learn,scipy,huggingface-hub,pillow,tqdm"},
    {"shap", "numpy,scipy,scikit-learn,pandas,tqdm,numba,cloudpickle,slicer,packaging"},
    {"statsmodels", "numpy,scipy,pandas,patsy,packaging"},
    {"sympy", "mpmath"},
    {"tensorboard", "numpy,protobuf,absl-py,grpcio,markdown,werkzeug,six,packaging"},
    {"tensorflow",
     "numpy,keras,protobuf,h5py,absl-py,grpcio,tensorboard,six,termcolor,wrapt,opt-einsum,gast,"
     "astunparse,flatbuffers,google-pasta,ml-dtypes,packaging,requests,typing-extensions"},
    {"tokenizers", "huggingface-hub"},
    {"torchaudio", "torch"},
    {"torchmetrics", "numpy,torch,packaging,lightning-utilities"},
    {"torchtext", "torch,tqdm,requests,numpy"},
    {"torchvision", "torch,numpy,pillow"},
    {"transformers",
     "numpy,huggingface-hub,tokenizers,safetensors,regex,requests,tqdm,pyyaml,packaging,filelock"},
    {"umap-learn", "numpy,scipy,scikit-learn,numba,pynndescent,tqdm"},
    {"wordcloud", "numpy,pillow,matplotlib"},
    {"xarray", "numpy,pandas,packaging"},
    {"xgboost", "numpy,scipy"},
    {"yfinance", "pandas,numpy,requests,multitasking,lxml,platformdirs,pytz,beautifulsoup4"},
};

}  // namespace

std::span<const std::string_view> DistributionsRequiring(std::string_view distribution) {
  // Normalized requirement → the distributions that require it, in the table's order. Made on
  // first use: only NB203 asks.
  using Requirers = absl::flat_hash_map<std::string_view, std::vector<std::string_view>>;
  static const Requirers* requirers = [] {
    auto* m = new Requirers;
    for (const auto& [dist, required] : kRequires) {
      for (std::string_view rest = required; !rest.empty();) {
        size_t comma = rest.find(',');
        (*m)[rest.substr(0, comma)].push_back(dist);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
    }
    return m;
  }();
  auto it = requirers->find(NormalizeDistributionName(distribution));
  if (it == requirers->end()) return {};
  return it->second;
}

}  // namespace cellflow
