// Weighted edit distance with one row and early exit, and the alias table.
#include "passes/suggest.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"

namespace cellflow {
namespace {

constexpr size_t kMoveCost = 2;  // insertion, deletion, or substitution of another letter
constexpr size_t kCaseCost = 1;  // substitution that only changes case
constexpr size_t kMaxStringSize = 40;

size_t SubstitutionCost(char a, char b) {
  if ((a & 31) != (b & 31)) return kMoveCost;
  if (a == b) return 0;
  if (a >= 'A' && a <= 'Z') a = static_cast<char>(a + ('a' - 'A'));
  if (b >= 'A' && b <= 'Z') b = static_cast<char>(b + ('a' - 'A'));
  return a == b ? kCaseCost : kMoveCost;
}

struct Alias {
  std::string_view alias;
  std::string_view statement;
};

// Aliases so conventional that a missing one almost always means a missing import.
constexpr Alias kAliases[] = {
    {"np", "import numpy as np"},
    {"pd", "import pandas as pd"},
    {"plt", "import matplotlib.pyplot as plt"},
    {"mpl", "import matplotlib as mpl"},
    {"sns", "import seaborn as sns"},
    {"tf", "import tensorflow as tf"},
    {"keras", "from tensorflow import keras"},
    {"torch", "import torch"},
    {"nn", "from torch import nn"},
    {"F", "import torch.nn.functional as F"},
    {"optim", "from torch import optim"},
    {"sk", "import sklearn as sk"},
    {"sp", "import scipy as sp"},
    {"stats", "from scipy import stats"},
    {"sm", "import statsmodels.api as sm"},
    {"smf", "import statsmodels.formula.api as smf"},
    {"px", "import plotly.express as px"},
    {"go", "import plotly.graph_objects as go"},
    {"pl", "import polars as pl"},
    {"xr", "import xarray as xr"},
    {"dd", "import dask.dataframe as dd"},
    {"nx", "import networkx as nx"},
    {"cv2", "import cv2"},
    {"jnp", "import jax.numpy as jnp"},
    {"jax", "import jax"},
    {"os", "import os"},
    {"sys", "import sys"},
    {"re", "import re"},
    {"json", "import json"},
    {"math", "import math"},
    {"random", "import random"},
    {"time", "import time"},
    {"datetime", "import datetime"},
    {"dt", "import datetime as dt"},
    {"Path", "from pathlib import Path"},
    {"defaultdict", "from collections import defaultdict"},
    {"Counter", "from collections import Counter"},
    {"tqdm", "from tqdm import tqdm"},
    {"display", "from IPython.display import display"},
    {"HTML", "from IPython.display import HTML"},
    {"Image", "from IPython.display import Image"},
    {"train_test_split", "from sklearn.model_selection import train_test_split"},
    {"gpd", "import geopandas as gpd"},
    {"glob", "import glob"},
    {"pickle", "import pickle"},
    {"itertools", "import itertools"},
    {"collections", "import collections"},
    {"warnings", "import warnings"},
    {"shutil", "import shutil"},
    {"subprocess", "import subprocess"},
    {"csv", "import csv"},
    {"copy", "import copy"},
    {"functools", "import functools"},
    {"partial", "from functools import partial"},
    {"reduce", "from functools import reduce"},
    {"OrderedDict", "from collections import OrderedDict"},
    {"deque", "from collections import deque"},
    {"namedtuple", "from collections import namedtuple"},
    {"timedelta", "from datetime import timedelta"},
    {"pprint", "from pprint import pprint"},
    {"requests", "import requests"},
    {"BeautifulSoup", "from bs4 import BeautifulSoup"},
    {"Dataset", "from torch.utils.data import Dataset"},
    {"DataLoader", "from torch.utils.data import DataLoader"},
    {"transforms", "from torchvision import transforms"},
    {"layers", "from tensorflow.keras import layers"},
    {"widgets", "import ipywidgets as widgets"},
    {"interact", "from ipywidgets import interact"},
    {"clear_output", "from IPython.display import clear_output"},
    {"Markdown", "from IPython.display import Markdown"},
    {"Axes3D", "from mpl_toolkits.mplot3d import Axes3D"},
    {"LinearRegression", "from sklearn.linear_model import LinearRegression"},
    {"LogisticRegression", "from sklearn.linear_model import LogisticRegression"},
    {"StandardScaler", "from sklearn.preprocessing import StandardScaler"},
    {"KMeans", "from sklearn.cluster import KMeans"},
    {"PCA", "from sklearn.decomposition import PCA"},
    {"RandomForestClassifier", "from sklearn.ensemble import RandomForestClassifier"},
    {"RandomForestRegressor", "from sklearn.ensemble import RandomForestRegressor"},
    {"accuracy_score", "from sklearn.metrics import accuracy_score"},
    {"mean_squared_error", "from sklearn.metrics import mean_squared_error"},
    {"confusion_matrix", "from sklearn.metrics import confusion_matrix"},
    {"classification_report", "from sklearn.metrics import classification_report"},
    {"cross_val_score", "from sklearn.model_selection import cross_val_score"},
    {"GridSearchCV", "from sklearn.model_selection import GridSearchCV"},
};

// A lower bound of SuggestionDistance: a character (case aside) that one name has more often
// than the other is deleted, inserted or substituted by another letter, at kMoveCost each, and
// one substitution serves one character of each name.
size_t LetterCountBound(std::string_view a, std::string_view b) {
  auto fold = [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u + ('a' - 'A')) : u;
  };
  int counts[256] = {};
  for (char c : a) ++counts[fold(c)];
  for (char c : b) --counts[fold(c)];
  size_t only_a = 0, only_b = 0;
  for (char c : a) {
    int& n = counts[fold(c)];
    if (n > 0) only_a += static_cast<size_t>(n);
    n = 0;
  }
  for (char c : b) {
    int& n = counts[fold(c)];
    if (n < 0) only_b += static_cast<size_t>(-n);
    n = 0;
  }
  return std::max(only_a, only_b) * kMoveCost;
}

}  // namespace

size_t SuggestionDistance(std::string_view a, std::string_view b, size_t max_cost) {
  if (a == b) return 0;
  // Common prefixes and suffixes cost nothing.
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  if (a.empty() || b.empty()) return (a.size() + b.size()) * kMoveCost;
  if (a.size() > kMaxStringSize || b.size() > kMaxStringSize) return max_cost + 1;
  if (b.size() < a.size()) std::swap(a, b);  // a is the shorter
  if ((b.size() - a.size()) * kMoveCost > max_cost) return max_cost + 1;

  size_t row[kMaxStringSize];
  for (size_t i = 0; i < a.size(); ++i) row[i] = (i + 1) * kMoveCost;
  size_t result = 0;
  for (size_t bi = 0; bi < b.size(); ++bi) {
    char code = b[bi];
    size_t distance = result = bi * kMoveCost;
    size_t minimum = SIZE_MAX;
    for (size_t i = 0; i < a.size(); ++i) {
      size_t substitute = distance + SubstitutionCost(code, a[i]);
      distance = row[i];
      size_t insert_delete = std::min(result, distance) + kMoveCost;
      result = std::min(insert_delete, substitute);
      row[i] = result;
      minimum = std::min(minimum, result);
    }
    if (minimum > max_cost) return max_cost + 1;
  }
  return result;
}

std::string_view BestSuggestion(std::string_view name,
                                std::span<const std::string_view> candidates) {
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  for (std::string_view item : candidates) {
    if (item == name) continue;
    // No more than a third of the characters may change; never worse than the best so far.
    size_t max_distance = (name.size() + item.size() + 3) * kMoveCost / 6;
    if (best_distance != SIZE_MAX) max_distance = std::min(max_distance, best_distance - 1);
    // Every character one name has beyond the other's length costs an insertion.
    size_t longer = std::max(name.size(), item.size());
    size_t shorter = std::min(name.size(), item.size());
    if ((longer - shorter) * kMoveCost > max_distance) continue;
    if (LetterCountBound(name, item) > max_distance) continue;
    size_t d = SuggestionDistance(name, item, max_distance);
    if (d > max_distance) continue;
    if (best.empty() || d < best_distance) {
      best = item;
      best_distance = d;
    }
  }
  return best;
}

// Names of the standard library that notebooks use without their module (a hint after the
// names in scope and those defined later: `product` read where `products` is bound is a typo).
constexpr Alias kStandardMembers[] = {
    {"product", "from itertools import product"},
    {"permutations", "from itertools import permutations"},
    {"combinations", "from itertools import combinations"},
    {"combinations_with_replacement", "from itertools import combinations_with_replacement"},
    {"chain", "from itertools import chain"},
    {"islice", "from itertools import islice"},
    {"accumulate", "from itertools import accumulate"},
    {"zip_longest", "from itertools import zip_longest"},
    {"deepcopy", "from copy import deepcopy"},
    {"sleep", "from time import sleep"},
    {"wraps", "from functools import wraps"},
    {"lru_cache", "from functools import lru_cache"},
    {"cached_property", "from functools import cached_property"},
    {"dataclass", "from dataclasses import dataclass"},
    {"asdict", "from dataclasses import asdict"},
    {"Enum", "from enum import Enum"},
    {"IntEnum", "from enum import IntEnum"},
    {"ABC", "from abc import ABC"},
    {"abstractmethod", "from abc import abstractmethod"},
    {"List", "from typing import List"},
    {"Dict", "from typing import Dict"},
    {"Tuple", "from typing import Tuple"},
    {"Optional", "from typing import Optional"},
    {"Union", "from typing import Union"},
    {"Any", "from typing import Any"},
    {"Callable", "from typing import Callable"},
    {"Iterable", "from typing import Iterable"},
    {"Iterator", "from typing import Iterator"},
    {"Sequence", "from typing import Sequence"},
    {"Literal", "from typing import Literal"},
    {"TypedDict", "from typing import TypedDict"},
    {"NamedTuple", "from typing import NamedTuple"},
    {"sqrt", "from math import sqrt"},
    {"pi", "from math import pi"},
    {"randint", "from random import randint"},
    {"uuid4", "from uuid import uuid4"},
    {"urlopen", "from urllib.request import urlopen"},
    {"StringIO", "from io import StringIO"},
    {"BytesIO", "from io import BytesIO"},
};

bool SameInitial(std::string_view a, std::string_view b, bool skip_underscores) {
  if (skip_underscores) {
    a = a.substr(std::min(a.size(), a.find_first_not_of('_')));
    b = b.substr(std::min(b.size(), b.find_first_not_of('_')));
  }
  return !a.empty() && !b.empty() && absl::ascii_tolower(a[0]) == absl::ascii_tolower(b[0]);
}

// A table's names, and the statement for one of them.
std::vector<std::string_view> NamesOf(std::span<const Alias> table) {
  std::vector<std::string_view> names;
  for (const Alias& a : table) names.push_back(a.alias);
  return names;
}
std::string_view StatementFor(std::span<const Alias> table, std::string_view name) {
  for (const Alias& a : table) {
    if (a.alias == name) return a.statement;
  }
  return {};
}

std::vector<std::string_view> ConventionalAliases() { return NamesOf(kAliases); }

std::string_view ConventionalImport(std::string_view name) { return StatementFor(kAliases, name); }

std::vector<std::string_view> StandardMemberNames() { return NamesOf(kStandardMembers); }

std::string_view StandardMemberImport(std::string_view name) {
  return StatementFor(kStandardMembers, name);
}

}  // namespace cellflow
