// Tests of AppendJsonString: what JSON requires escaped is escaped, valid UTF-8 is kept as it
// is, and a byte that is not valid UTF-8 becomes U+FFFD, wherever it falls in the string.
#include "driver/json_out.h"

#include <string>

#include "gtest/gtest.h"

namespace cellflow {
namespace {

std::string Json(std::string_view s) {
  std::string out = "x";  // appends: what was there stays
  AppendJsonString(s, &out);
  return out;
}

TEST(AppendJsonString, PlainTextIsQuotedAsItIs) {
  EXPECT_EQ(Json(""), "x\"\"");
  EXPECT_EQ(Json("a"), "x\"a\"");
  EXPECT_EQ(Json("name 'x' is not defined"), "x\"name 'x' is not defined\"");
}

TEST(AppendJsonString, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(Json("\""), "x\"\\\"\"");
  EXPECT_EQ(Json("a\\b"), "x\"a\\\\b\"");
  EXPECT_EQ(Json("l1\nl2\r\n\tx"), "x\"l1\\nl2\\r\\n\\tx\"");
  EXPECT_EQ(Json(std::string_view("\0\x01\x1f\x7f", 4)), "x\"\\u0000\\u0001\\u001f\\u007f\"");
  EXPECT_EQ(Json("end\""), "x\"end\\\"\"");
  EXPECT_EQ(Json("\"start"), "x\"\\\"start\"");
}

TEST(AppendJsonString, KeepsValidUtf8) {
  EXPECT_EQ(Json("caf\xc3\xa9"), "x\"caf\xc3\xa9\"");
  EXPECT_EQ(Json("\xe2\x86\x92 x"), "x\"\xe2\x86\x92 x\"");
  EXPECT_EQ(Json("\xf0\x9f\x90\x8d"), "x\"\xf0\x9f\x90\x8d\"");
}

TEST(AppendJsonString, ReplacesInvalidUtf8) {
  EXPECT_EQ(Json("a\xff"
                 "b"),
            "x\"a\\ufffdb\"");
  EXPECT_EQ(Json("\xc3"), "x\"\\ufffd\"");  // truncated at the end
  EXPECT_EQ(Json("\xe2\x86"
                 "a"),
            "x\"\\ufffd\\ufffda\"");                              // truncated inside
  EXPECT_EQ(Json("\xed\xa0\x80"), "x\"\\ufffd\\ufffd\\ufffd\"");  // a surrogate
}

// Every special character at every position of a plain string: the runs of plain text
// around it are copied whole, and nothing is lost or repeated at their edges.
TEST(AppendJsonString, SpecialCharacterAtEveryPosition) {
  const std::string plain = "abcdefghijklmnopqrstuvwxyz0123456789";
  const std::pair<std::string, std::string> specials[] = {
      {"\"", "\\\""},      {"\\", "\\\\"},           {"\n", "\\n"},
      {"\x02", "\\u0002"}, {"\xc3\xa9", "\xc3\xa9"}, {"\xff", "\\ufffd"}};
  for (const auto& [raw, escaped] : specials) {
    for (size_t at = 0; at <= plain.size(); ++at) {
      SCOPED_TRACE(at);
      std::string in = plain.substr(0, at) + raw + plain.substr(at);
      std::string want = "x\"" + plain.substr(0, at) + escaped + plain.substr(at) + "\"";
      EXPECT_EQ(Json(in), want);
    }
  }
}

}  // namespace
}  // namespace cellflow
