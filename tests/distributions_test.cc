// Tests of the import-name → distribution table.
#include "passes/distributions.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "passes/stdlib_modules.h"

namespace cellflow {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(NormalizeDistributionNameTest, Pep503) {
  EXPECT_EQ(NormalizeDistributionName("numpy"), "numpy");
  EXPECT_EQ(NormalizeDistributionName("PyYAML"), "pyyaml");
  EXPECT_EQ(NormalizeDistributionName("typing_extensions"), "typing-extensions");
  EXPECT_EQ(NormalizeDistributionName("ruamel.yaml"), "ruamel-yaml");
  EXPECT_EQ(NormalizeDistributionName("Foo__Bar-.-baz"), "foo-bar-baz");
  EXPECT_EQ(NormalizeDistributionName(""), "");
  EXPECT_EQ(NormalizeDistributionName("-_-"), "-");
}

TEST(SameWithoutSeparatorsTest, ModuleNamedAfterTheDistribution) {
  EXPECT_TRUE(SameWithoutSeparators("colab-xterm", "colabxterm"));
  EXPECT_TRUE(SameWithoutSeparators("py-spy", "pyspy"));
  EXPECT_TRUE(SameWithoutSeparators("a-b-c", "ABC"));
  EXPECT_FALSE(SameWithoutSeparators("numpy", "numpy"));  // no separator: not this rule's case
  EXPECT_FALSE(SameWithoutSeparators("colab-xterm", "colabxterms"));
  EXPECT_FALSE(SameWithoutSeparators("colab-xterm", "colabxter"));
  EXPECT_FALSE(SameWithoutSeparators("colab-xterm", "colab_xterm"));
  EXPECT_FALSE(SameWithoutSeparators("-", ""));
}

TEST(DistributionsTest, Identity) {
  for (std::string_view m : {"numpy", "pandas", "scipy", "matplotlib", "seaborn", "requests",
                             "tensorflow", "torch", "torchvision", "keras", "transformers"}) {
    EXPECT_EQ(DistributionForImport(m), m) << m;
    EXPECT_TRUE(IsKnownThirdParty(m)) << m;
  }
}

TEST(DistributionsTest, FamousMismatches) {
  EXPECT_EQ(DistributionForImport("sklearn"), "scikit-learn");
  EXPECT_EQ(DistributionForImport("cv2"), "opencv-python");
  EXPECT_EQ(DistributionForImport("PIL"), "Pillow");
  EXPECT_EQ(DistributionForImport("yaml"), "PyYAML");
  EXPECT_EQ(DistributionForImport("bs4"), "beautifulsoup4");
  EXPECT_EQ(DistributionForImport("skimage"), "scikit-image");
  EXPECT_EQ(DistributionForImport("Crypto"), "pycryptodome");
  EXPECT_EQ(DistributionForImport("dateutil"), "python-dateutil");
  EXPECT_EQ(DistributionForImport("dotenv"), "python-dotenv");
  EXPECT_EQ(DistributionForImport("attr"), "attrs");
  EXPECT_EQ(DistributionForImport("jwt"), "PyJWT");
  EXPECT_EQ(DistributionForImport("serial"), "pyserial");
  EXPECT_EQ(DistributionForImport("usb"), "pyusb");
  EXPECT_EQ(DistributionForImport("OpenGL"), "PyOpenGL");
  EXPECT_EQ(DistributionForImport("wx"), "wxPython");
  EXPECT_EQ(DistributionForImport("gi"), "PyGObject");
  EXPECT_EQ(DistributionForImport("tf_keras"), "tf-keras");
  EXPECT_EQ(DistributionForImport("mpl_toolkits"), "matplotlib");
  EXPECT_EQ(DistributionForImport("mpl_toolkits.mplot3d"), "matplotlib");
  EXPECT_EQ(DistributionForImport("mpl_toolkits.basemap"), "basemap");
}

TEST(DistributionsTest, DottedSubmodulesUseTheirTopLevel) {
  EXPECT_EQ(DistributionForImport("sklearn.linear_model"), "scikit-learn");
  EXPECT_EQ(DistributionForImport("PIL.Image"), "Pillow");
  EXPECT_EQ(DistributionForImport("matplotlib.pyplot"), "matplotlib");
  EXPECT_EQ(DistributionForImport("mpl_toolkits.mplot3d.axes3d"), "matplotlib");
}

TEST(DistributionsTest, Namespaces) {
  EXPECT_EQ(DistributionForImport("google.cloud.storage"), "google-cloud-storage");
  EXPECT_EQ(DistributionForImport("google.cloud.storage.blob"), "google-cloud-storage");
  EXPECT_EQ(DistributionForImport("google.cloud.bigquery"), "google-cloud-bigquery");
  EXPECT_EQ(DistributionForImport("google.generativeai"), "google-generativeai");
  EXPECT_EQ(DistributionForImport("google.genai.types"), "google-genai");
  EXPECT_EQ(DistributionForImport("google.protobuf.text_format"), "protobuf");
  EXPECT_EQ(DistributionForImport("google.auth.transport.requests"), "google-auth");
  EXPECT_EQ(DistributionForImport("google.adk.agents"), "google-adk");
  EXPECT_EQ(DistributionForImport("azure.storage.blob"), "azure-storage-blob");
  EXPECT_EQ(DistributionForImport("ruamel.yaml"), "ruamel.yaml");
  // Versioned API modules of Google's client libraries.
  EXPECT_EQ(DistributionForImport("google.cloud.vision_v1p3beta1"), "google-cloud-vision");
  EXPECT_EQ(DistributionForImport("google.cloud.language_v2.types"), "google-cloud-language");
  EXPECT_EQ(DistributionForImport("google.cloud.texttospeech_v1beta1"),
            "google-cloud-texttospeech");
  EXPECT_EQ(DistributionForImport("google.cloud.functions_v2alpha"), "google-cloud-functions");
  EXPECT_EQ(DistributionForImport("google.cloud.storage_vx"), "");
  EXPECT_EQ(DistributionForImport("google.cloud.storage_v1x"), "");
  // A namespace alone, or an unknown member of one: third-party, but no distribution.
  for (std::string_view m : {"google", "google.cloud", "google.cloud.nosuchthing", "azure",
                             "azure.mgmt.nosuchthing", "zope"}) {
    EXPECT_EQ(DistributionForImport(m), "") << m;
    EXPECT_TRUE(IsKnownThirdParty(m)) << m;
    EXPECT_THAT(DistributionsForImport(m), IsEmpty()) << m;
  }
}

TEST(DistributionsTest, PrefixesEndAtDots) {
  EXPECT_EQ(DistributionForImport("numpyx"), "");
  EXPECT_FALSE(IsKnownThirdParty("numpyx"));
  EXPECT_FALSE(IsKnownThirdParty("google_cloud"));
  EXPECT_FALSE(IsKnownThirdParty(""));
  EXPECT_FALSE(IsKnownThirdParty(".numpy"));
  EXPECT_FALSE(IsKnownThirdParty("."));
  EXPECT_FALSE(IsKnownThirdParty("numpy."));  // "numpy." is not a prefix match of "numpy"
  EXPECT_FALSE(IsKnownThirdParty("mymodule"));
}

TEST(DistributionsTest, Alternatives) {
  EXPECT_THAT(DistributionsForImport("cv2"),
              ElementsAre("opencv-python", "opencv-python-headless", "opencv-contrib-python",
                          "opencv-contrib-python-headless"));
  EXPECT_THAT(DistributionsForImport("psycopg2"), ElementsAre("psycopg2", "psycopg2-binary"));
  EXPECT_THAT(DistributionsForImport("numpy"), ElementsAre("numpy"));
  EXPECT_THAT(DistributionsForImport("nosuchmodule"), IsEmpty());
}

// PyPI's popular projects beyond the table, by their module's name; none of the names a
// notebook's own helper module is likely to have.
TEST(DistributionsTest, PopularProjectsByTheirOwnName) {
  EXPECT_EQ(PopularDistributionForImport("tbats"), "tbats");
  EXPECT_EQ(PopularDistributionForImport("plotly_resampler.aggregation"), "plotly-resampler");
  EXPECT_EQ(PopularDistributionForImport("iso3166"), "iso3166");
  for (std::string_view local : {"utils", "config", "helpers", "common", "lib", "model", "data",
                                 "trainer", "data_loader", "src", "tools", "settings"}) {
    EXPECT_EQ(PopularDistributionForImport(local), "") << local;
  }
  EXPECT_EQ(PopularDistributionForImport("Tbats"), "");  // modules are named in lower case
  EXPECT_EQ(PopularDistributionForImport("tbat"), "");
  EXPECT_EQ(PopularDistributionForImport("tbatsx"), "");
  EXPECT_EQ(PopularDistributionForImport(""), "");
  EXPECT_EQ(PopularDistributionForImport(".tbats"), "");
  // The table comes first: what it lists is not here.
  EXPECT_EQ(PopularDistributionForImport("numpy"), "");
}

TEST(DistributionsTest, Environments) {
  EXPECT_EQ(EnvironmentForImport("IPython"), ImportEnvironment::kKernel);
  EXPECT_EQ(EnvironmentForImport("IPython.display"), ImportEnvironment::kKernel);
  EXPECT_EQ(EnvironmentForImport("ipykernel"), ImportEnvironment::kKernel);
  EXPECT_EQ(EnvironmentForImport("google.colab"), ImportEnvironment::kColab);
  EXPECT_EQ(EnvironmentForImport("piplite"), ImportEnvironment::kPyodide);  // JupyterLite
  EXPECT_EQ(EnvironmentForImport("js"), ImportEnvironment::kPyodide);
  EXPECT_EQ(EnvironmentForImport("google.colab.drive"), ImportEnvironment::kColab);
  EXPECT_EQ(DistributionForImport("google.colab"), "");
  EXPECT_EQ(EnvironmentForImport("kaggle_secrets"), ImportEnvironment::kKaggle);
  EXPECT_EQ(EnvironmentForImport("numpy"), ImportEnvironment::kNone);
  EXPECT_EQ(EnvironmentForImport("nosuchmodule"), ImportEnvironment::kNone);
  EXPECT_EQ(DistributionForImport("IPython"), "ipython");
}

TEST(DistributionsTest, TableInvariants) {
  EXPECT_GE(ImportNameCount(), 1000u);
  absl::flat_hash_set<std::string_view> seen;
  for (std::string_view name : KnownTopLevelImports()) {
    EXPECT_TRUE(seen.insert(name).second) << "listed twice: " << name;
    EXPECT_EQ(name.find('.'), std::string_view::npos) << name;
    // Rows for modules that left the standard library aside, no table name is a 3.8 stdlib
    // module: the table must not make the standard library look third-party.
    if (IsStdlibModule(name, 8) && IsStdlibModule(name, 13)) ADD_FAILURE() << "stdlib: " << name;
  }
  EXPECT_TRUE(std::is_sorted(KnownTopLevelImports().begin(), KnownTopLevelImports().end()));
}

}  // namespace
}  // namespace cellflow
