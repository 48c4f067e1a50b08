// What a question and its answer say about the patient's body weight and age, for dose limits
// that depend on them (a child's mg/kg maximum, an older adult's lower maximum).
//
// ReadPatient reads normalized text (text/normalize.h: case-folded, ASCII digits) in one pass:
//  - weight: a number followed by a weight unit ("15 kg", "33-lb", "体重12公斤", "20斤",
//    "٨ كيلو"), converted to kg; a number after a weight-change word ("lost 10 kg", "瘦了5公斤")
//    is not a body weight;
//  - age: a number followed by an age word that cannot be a duration ("75-year-old", "8 yo",
//    "75岁"), or an Arabic number of years after an age word or a child ("عمره ٧٥ سنة",
//    "عندي ٧٨ سنة", "ابني ١٣ سنة", an adult relative from 40 up: "جدي ٨١ عام"); a person with a
//    bare number in brackets or, from 40 up, between commas ("my mother (64)", "Mum, 79, has",
//    "我爸(81)", "ابوي (٨١)");
//    months of age in years ("8-month-old", "11个月大", "عمره ٨ شهور" = 8/12), weeks of age
//    ("6-week-old", "6周大" = 6/52), and ages in
//    words ("两岁", "十一岁", "عمرها سنه" = 1, "عمره سنتين" = 2). A bare "7个月" or "3 months"
//    is a duration and is not read.
// When the texts give two different weights (or ages), which one is the patient's is unknown:
// that value is left unset rather than guessed.
//
// Kidney function is read from the question only (an answer's "if your kidneys are weak, take
// less" is advice, not the patient): the lowest clearance the question gives, in mL/min:
//  - a number after eGFR / GFR / CrCl / creatinine clearance / 肌酐清除率 / 肾小球滤过率 /
//    تصفيه الكرياتينين / معدل (ال)ترشيح ("eGFR 25", "CrCl of 40 ml/min", "肌酐清除率30");
//  - a percentage after kidney function / 肾功能 / وظائف الكلي / الكلي شغاله, read as mL/min
//    ("kidney function 25%", "肾功能只剩20%"), unless it is a change ("dropped by 20%");
//  - a CKD stage as the top of its band ("CKD stage 4" = 29, "慢性肾病3期" = 59, "3b" = 44);
//  - dialysis (透析, غسيل كلى) = 10, kidney failure (肾衰, فشل كلوي) = 29, and any other word
//    for impaired kidneys (renal impairment, 肾功能不全, قصور كلوي) = 59, unless negated
//    ("no kidney problems", "肾功能正常").
#pragma once

#include <optional>
#include <string_view>

namespace medaudit::extract {

struct Patient {
  std::optional<double> weight_kg;
  std::optional<double> age_years;
  std::optional<double> kidney_ml_min;  // creatinine clearance or eGFR, mL/min (see above)
};

// The question's kidney function alone (the kidney part of ReadPatient).
std::optional<double> ReadKidneyFunction(std::string_view normalized_question);

Patient ReadPatient(std::string_view normalized_question, std::string_view normalized_answer);

}  // namespace medaudit::extract
