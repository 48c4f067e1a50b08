#include "rules/pack_tests.h"

#include <algorithm>
#include <set>

#include "base/utf8.h"
#include "text/normalize.h"

namespace medaudit::rules {

PackTestReport RunPackTests(const Engine& engine, const std::vector<std::string>& only) {
  PackTestReport report;
  Workspace workspace;
  CheckResult result;
  for (const Pack& pack : engine.packs()) {
    if (!only.empty() && std::find(only.begin(), only.end(), pack.id) == only.end()) continue;
    if (!pack.tests_loaded) {  // an engine loaded with PackTests::kSkip: nothing to run
      report.failures.push_back({pack.file, "", "", "the pack was loaded without its tests", ""});
      ++report.failed;
      continue;
    }
    std::set<std::string> pack_rules;
    for (const Rule& rule : pack.rules) pack_rules.insert(rule.id);
    for (const Rule& rule : pack.rules) {
      for (const RuleTest& test : rule.tests) {
        ++report.tests;
        CheckInput input{test.text, test.question, text::ParseLang(test.lang)};
        std::set<std::string> fired;
        if (auto status = engine.Check(input, &workspace, &result); !status) {
          report.failures.push_back({pack.file, test.pointer, rule.id,
                                     "check failed: " + status.error().ToString(), test.text});
          ++report.failed;
          continue;
        }
        for (const auto& f : result.findings) fired.insert(f.rule->id);
        std::set<std::string> named;
        bool failed = false;
        auto fail = [&](const std::string& id, std::string problem) {
          report.failures.push_back({pack.file, test.pointer, id, std::move(problem), test.text});
          failed = true;
        };
        for (const auto& expectation : test.expect) {
          const auto colon = expectation.find(':');
          const std::string kind = expectation.substr(0, colon);
          const std::string id = expectation.substr(colon + 1);
          named.insert(id);
          ++report.expectations;
          if (!engine.FindRule(id)) {
            fail(id, "expectation names an unknown rule '" + id + "'");
            continue;
          }
          const bool hit = fired.count(id) > 0;
          if (kind == "ruleid" && !hit) fail(id, "expected " + id + " to fire; it did not");
          if (kind == "ok" && hit) fail(id, "expected " + id + " not to fire; it fired");
          if (kind == "todoruleid" || kind == "todook") ++report.todo;
        }
        for (const auto& id : fired) {
          if (pack_rules.count(id) && !named.count(id)) {
            fail(id, id + " fired but the test does not name it");
          }
        }
        if (failed) ++report.failed;
      }
    }
  }
  return report;
}

// Drug ids and class tags of a rule's statements that the lexicon does not have: such a
// condition would silently never hold (a typo in a pack or a knowledge-table row).
void LintDrugNames(const Condition& condition, const knowledge::Lexicon& lexicon,
                   const std::set<std::string>& classes, std::set<std::string>* unknown) {
  for (const auto& id : condition.statement.drug_ids) {
    if (!lexicon.Find(id)) unknown->insert("drug id '" + id + "'");
  }
  for (const auto& tag : condition.statement.drug_class) {
    if (!classes.count(tag)) unknown->insert("class '" + tag + "'");
  }
  for (const auto& child : condition.children) LintDrugNames(child, lexicon, classes, unknown);
}

// The end of the character class that opens at expression[open] ('['): the index of its ']'.
static size_t ClassEnd(std::string_view expression, size_t open) {
  size_t i = open + 1;
  if (i < expression.size() && expression[i] == '^') ++i;
  if (i < expression.size() && expression[i] == ']') ++i;  // a leading ']' is a member
  for (; i < expression.size() && expression[i] != ']'; ++i) {
    if (expression[i] == '\\') ++i;
  }
  return i;
}

FoldedCharacter FirstFoldedCharacter(std::string_view expression,
                                     const text::Normalizer& normalizer,
                                     text::NormalizedText* scratch) {
  size_t class_open = 0, class_end = 0;  // the class the scan is in, when class_end > 0
  for (size_t i = 0; i < expression.size();) {
    if (class_end != 0 && i >= class_end) class_end = 0;
    if (expression[i] == '\\' && i + 1 < expression.size()) {
      const char kind = expression[i + 1];
      const bool braced = (kind == 'x' || kind == 'p' || kind == 'P') &&
                          i + 2 < expression.size() && expression[i + 2] == '{';
      const size_t brace = braced ? expression.find('}', i) : std::string_view::npos;
      if (brace != std::string_view::npos) {
        i = brace + 1;
      } else {
        size_t length = 1;
        utf8::Decode(expression, i + 1, &length);
        i += 1 + length;
      }
      continue;
    }
    if (expression[i] == '[' && class_end == 0) {
      class_open = i;
      class_end = ClassEnd(expression, i);
      ++i;
      continue;
    }
    size_t length = 1;
    const char32_t c = utf8::Decode(expression, i, &length);
    const std::string_view character = expression.substr(i, length);
    i += length;
    if (c < 0x80 && !(c >= 'A' && c <= 'Z')) continue;
    normalizer.Normalize(character, scratch);
    if (scratch->text == character) continue;
    const bool in_class_with_folded_form =
        class_end != 0 && !scratch->text.empty() &&
        expression.substr(class_open, class_end - class_open).find(scratch->text) !=
            std::string_view::npos;
    if (!in_class_with_folded_form) return {std::string(character), scratch->text};
  }
  return {};
}

namespace {

// A regex holding a character normalized text never has (ى, ة, '，', a Traditional character)
// silently never matches there: report it with the normalized form to write instead.
void LintNormalizedForm(const std::string& file, const std::string& pointer,
                        std::string_view expression, const text::Normalizer& normalizer,
                        text::NormalizedText* scratch, std::vector<LintProblem>* problems) {
  const auto c = FirstFoldedCharacter(expression, normalizer, scratch);
  if (c.character.empty()) return;
  problems->push_back({file, pointer,
                       "pattern contains '" + c.character + "', which normalized text has as '" +
                           c.folded + "' (write the normalized form): " + std::string(expression)});
}

}  // namespace

std::vector<LintProblem> LintPacks(const Engine& engine, const LintOptions& options) {
  std::vector<LintProblem> problems;
  static constexpr text::Lang kLangs[] = {text::Lang::kZh, text::Lang::kEn, text::Lang::kAr};
  std::set<std::string> classes;
  for (const auto& drug : engine.lexicon().drugs())
    classes.insert(drug.classes.begin(), drug.classes.end());
  text::NormalizedText scratch;
  for (const Pack& pack : engine.packs()) {
    if (!pack.tests_loaded) {
      problems.push_back({pack.file, "", "the pack was loaded without its tests"});
      continue;
    }
    for (const Term& term : pack.terms) {
      if (!options.validate_patterns) break;
      for (const auto& [lang, expression] : term.expressions) {
        match::PatternSpec spec{0, expression, term.literal, false};
        if (auto status = match::ValidateExpression(spec); !status) {
          problems.push_back(
              {pack.file, "/patterns/" + term.name, "invalid pattern: " + status.error().message});
        }
        if (term.literal) continue;  // literals are normalized when the pack is loaded
        LintNormalizedForm(pack.file, "/patterns/" + term.name, expression, engine.normalizer(),
                           &scratch, &problems);
      }
    }
    for (const Rule& rule : pack.rules) {
      for (auto lang : kLangs) {
        if (rule.message[static_cast<size_t>(lang)].empty()) {
          problems.push_back({pack.file, rule.pointer + "/message",
                              "no message in " + std::string(text::LangName(lang))});
        }
        const std::string name(text::LangName(lang));
        bool positive = false, negative = false;
        for (const auto& test : rule.tests) {
          if (test.lang != name) continue;
          for (const auto& e : test.expect) {
            if (e == "ruleid:" + rule.id) positive = true;
            if (e == "ok:" + rule.id) negative = true;
          }
        }
        if (!positive) {
          problems.push_back(
              {pack.file, rule.pointer + "/tests", rule.id + " has no ruleid test in " + name});
        }
        if (!negative) {
          problems.push_back(
              {pack.file, rule.pointer + "/tests", rule.id + " has no ok test in " + name});
        }
      }
      if (static_cast<int>(rule.tests.size()) < options.min_tests_per_rule) {
        problems.push_back({pack.file, rule.pointer + "/tests",
                            rule.id + " has " + std::to_string(rule.tests.size()) +
                                " tests; at least " + std::to_string(options.min_tests_per_rule) +
                                " are required"});
      }
      if (rule.harm_extent.empty()) {
        problems.push_back({pack.file, rule.pointer + "/harm", rule.id + " has no harm grading"});
      }
      std::set<std::string> unknown;
      LintDrugNames(rule.when, engine.lexicon(), classes, &unknown);
      for (const auto& name : unknown) {
        problems.push_back({pack.file, rule.pointer + "/when",
                            rule.id + " names " + name + ", which the lexicon does not have"});
      }
    }
  }
  if (options.validate_patterns) {
    // Grammar entries are scanned like pack patterns; their literal alternatives are normalized
    // when the grammar is loaded, so only the regex remainder can hold a folded character.
    for (const auto& entry : engine.grammar().entries()) {
      if (entry.residual_regex.empty()) continue;
      LintNormalizedForm("knowledge/grammar.json", "", entry.residual_regex, engine.normalizer(),
                         &scratch, &problems);
    }
  }
  return problems;
}

}  // namespace medaudit::rules
