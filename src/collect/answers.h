// The files of `medaudit collect`: the questions file it reads and the answers file (corpus
// format, design.md §4) it appends to and resumes from.
//
// Questions: JSON Lines, one object per non-blank line with an "id" (string or number) and a
// non-empty string "question"; other fields (lang, baseline, labels, ...) are carried over to the
// output. The whole file is checked before any question is asked: a line that is not valid UTF-8
// or JSON, not an object, has duplicate keys, lacks id/question or repeats an id is an input error
// naming the file and line.
//
// Answers: one line per question: the input's fields, then "answer" (or "error": {"code",
// "message"}), "provider": {"base_url", "settings_sha256"} and "model". A line counts as answered
// for resume when it parses, carries an answer, and its settings_sha256 equals the current one.
// Pure functions and plain data; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace medaudit::collect {

struct Question {
  int64_t line = 0;      // 1-based line number in the questions file
  std::string id;        // string id as is; a number id as its JSON text (the resume key)
  std::string question;  // the text put to the model
  std::string carried;   // the input's members as JSON, without braces, minus answer/error/
                         // provider/model ("" when none); goes first in the output line
};

// Reads and checks the whole questions file. Errors carry file and line (kInvalidJson,
// kInvalidUtf8, kMissingField, kInvalidArgument for a duplicate id, kNotFound, kIo).
Result<std::vector<Question>> ReadQuestions(const std::string& path);

// Who answered: recorded on every output line.
struct ProviderStamp {
  std::string base_url, model, settings_sha256;
};

std::string AnswerLine(const Question& q, std::string_view answer, const ProviderStamp& stamp);
std::string ErrorLine(const Question& q, std::string_view code, std::string_view message,
                      const ProviderStamp& stamp);

struct PreviousAnswers {
  std::map<std::string, std::string> answers;  // question id → its answer
  int64_t stale = 0;  // lines dropped: other settings, failed, unknown id or unreadable
};

// Reads an existing answers file (absent → empty). Only answers given with the current settings
// hash to an id in `questions` are kept; the caller rewrites their lines with the current input
// fields (AnswerLine), so an edited label or baseline in the questions file is picked up.
Result<PreviousAnswers> ReadPreviousAnswers(const std::string& path,
                                            const std::vector<Question>& questions,
                                            const std::string& settings_sha256);

}  // namespace medaudit::collect
