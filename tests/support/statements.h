// The medication statements the shipped engine reads in a text, for extractor tests that check
// moods and attributes without naming a drug.
#pragma once

#include <algorithm>
#include <vector>

#include "extract/statement.h"
#include "rules/engine.h"
#include "support/shipped_engine.h"

namespace medaudit::testing {

// Every statement of `text`, in text order.
inline std::vector<extract::MedicationStatement> StatementsOf(const char* text) {
  thread_local rules::Workspace ws;
  ShippedEngine().Analyze(text, &ws);
  return ws.statements;
}

// Whether some statement of `text` with a dose or a frequency has mood `mood`.
inline bool AnyDosedWith(const char* text, extract::Mood mood) {
  const auto statements = StatementsOf(text);
  return std::any_of(statements.begin(), statements.end(),
                     [&](const extract::MedicationStatement& st) {
                       return (st.has_dose() || st.has_frequency()) && st.mood == mood;
                     });
}

}  // namespace medaudit::testing
