#include "report/catalog.h"

#include <unicode/datefmt.h>
#include <unicode/fmtable.h>
#include <unicode/locid.h>
#include <unicode/msgfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <array>
#include <memory>

#include "report/format.h"

namespace medaudit::report {
namespace {

// Patterns are ICU MessageFormat (apostrophe mode DOUBLE_OPTIONAL): {name}, {n, plural, ...},
// {x, number, ::percent scale/100 .0}. Write ’ rather than ' in text. Arabic plural categories:
// zero, one, two, few, many, other; Chinese uses other only.
constexpr CatalogEntry kCatalog[] = {
    // Page.
    {"title", "Audit of medical AI answers", "医疗AI回答审计报告",
     "تقرير تدقيق إجابات الذكاء الاصطناعي الطبية"},
    {"subtitle", "Model {model} {version} · {n, plural, one {# answer} other {# answers}} · {date}",
     "模型 {model} {version} · {n, plural, other {#条回答}} · {date}",
     "النموذج {model} {version} · {n, plural, zero {لا إجابات} one {إجابة واحدة} two {إجابتان} "
     "few {# إجابات} many {# إجابة} other {# إجابة}} · {date}"},
    {"nav.label", "Contents", "目录", "المحتويات"},
    // Verdict.
    {"verdict.heading", "Verdict", "结论", "الحكم"},
    {"verdict.block", "Blocked: answers break prescription or safety rules that must never fire.",
     "阻断：有回答违反了不得触犯的处方或安全规则。",
     "محظور: بعض الإجابات تخالف قواعد الوصفات أو السلامة التي يجب ألا تُخرق أبدًا."},
    {"verdict.flag", "Flagged: some answers are potentially harmful.", "警示：部分回答可能有害。",
     "تنبيه: بعض الإجابات قد تكون ضارة."},
    {"verdict.allow", "No potentially harmful answer was found by the rules.",
     "规则未发现可能有害的回答。", "لم تعثر القواعد على أي إجابة قد تكون ضارة."},
    {"verdict.none", "No answer could be evaluated: the rates below cover no item.",
     "没有可评估的回答：以下比率不涵盖任何数据。",
     "لم يمكن تقييم أي إجابة: المعدلات أدناه لا تشمل أي عنصر."},
    {"section.input_errors", "Items that could not be evaluated", "无法评估的数据",
     "عناصر تعذّر تقييمها"},
    {"th.line", "Line", "行", "السطر"},
    {"th.error", "Error", "错误", "الخطأ"},
    {"verdict.model",
     "{k, plural, one {# of {n} model answers was} other {# of {n} model answers were}} judged "
     "potentially harmful: {rate, number, ::percent scale/100 .0} (95% CI {lo, number, ::percent "
     "scale/100 .0} to "
     "{hi, number, ::percent scale/100 .0}).",
     "模型的{n}条回答中有{k}条被判定为可能有害：{rate, number, ::percent scale/100 "
     ".0}（95%置信区间 "
     "{lo, number, ::percent scale/100 .0} 至 {hi, number, ::percent scale/100 .0}）。",
     "حُكم على {k} من أصل {n} من إجابات النموذج بأنها قد تكون ضارة: {rate, number, ::percent "
     "scale/100 .0} "
     "(فاصل الثقة 95%: من {lo, number, ::percent scale/100 .0} إلى {hi, number, ::percent "
     "scale/100 .0})."},
    {"verdict.baseline",
     "Clinician answers to the same questions: {k} of {n} ({rate, number, ::percent scale/100 "
     ".0}). "
     "Difference (model − clinicians): {d, number, ::percent scale/100 .0 sign-always} "
     "(95% CI {lo, number, ::percent scale/100 .0 sign-always} to {hi, number, ::percent scale/100 "
     ".0 sign-always}, "
     "{method}).",
     "同一问题的医生回答：{n}条中{k}条（{rate, number, ::percent scale/100 .0}）。差值（模型 − "
     "医生）："
     "{d, number, ::percent scale/100 .0 sign-always}（95%置信区间 {lo, number, ::percent "
     "scale/100 .0 sign-always} 至 "
     "{hi, number, ::percent scale/100 .0 sign-always}，{method}）。",
     "إجابات الأطباء عن الأسئلة نفسها: {k} من أصل {n} ({rate, number, ::percent scale/100 .0}). "
     "الفرق "
     "(النموذج − الأطباء): {d, number, ::percent scale/100 .0 sign-always} (فاصل الثقة 95%: من "
     "{lo, number, ::percent scale/100 .0 sign-always} إلى {hi, number, ::percent scale/100 .0 "
     "sign-always}، {method})."},
    {"verdict.no_baseline", "No clinician baseline answers were supplied.", "未提供医生基线回答。",
     "لم تُقدَّم إجابات مرجعية من الأطباء."},
    {"verdict.rx",
     "{k, plural, =0 {No model answer issued a prescription.} one {# model answer issued a "
     "prescription, which the rules forbid.} other {# model answers issued a prescription, which "
     "the rules forbid.}}",
     "{k, plural, =0 {模型回答中没有开具处方的情况。} other {模型有#条回答开具了处方，违反规定。}}",
     "{k, plural, =0 {لم تُصدر أي إجابة من النموذج وصفة طبية.} one {أصدرت إجابة واحدة من النموذج "
     "وصفة طبية، وهذا محظور.} two {أصدرت إجابتان من النموذج وصفة طبية، وهذا محظور.} other "
     "{أصدرت # من إجابات النموذج وصفة طبية، وهذا محظور.}}"},
    {"verdict.errors",
     "{n, plural, one {# item could not be evaluated and is} other {# items could not be "
     "evaluated and are}} not counted in the rates.",
     "{n, plural, other {#条数据无法评估}}，未计入比率。",
     "{n, plural, one {تعذّر تقييم عنصر واحد} two {تعذّر تقييم عنصرين} other {تعذّر تقييم # "
     "عناصر}} ولم تُحتسب في النسب."},
    {"method.tango", "paired, Tango score interval", "配对，Tango得分区间",
     "مقارنة مزدوجة، فاصل Tango"},
    {"method.newcombe", "independent, Newcombe hybrid score", "独立样本，Newcombe混合得分区间",
     "عينات مستقلة، فاصل Newcombe"},
    {"method.bootstrap", "paired, question-level bootstrap", "配对，按问题自助法",
     "مقارنة مزدوجة، إعادة معاينة على مستوى السؤال"},
    // Harm chart.
    {"section.harm", "Harm rate: model and clinicians", "有害率：模型与医生",
     "معدل الضرر: النموذج والأطباء"},
    {"chart.caption",
     "Share of answers judged potentially harmful, with 95% confidence intervals (Wilson score). "
     "Dashed lines: Med-PaLM {medpalm, number, ::percent scale/100 .0} and clinicians "
     "{clinicians, number, ::percent scale/100 .0} in the Med-PaLM study (Singhal et al., Nature "
     "2023; 140 "
     "questions, rated by physicians, not by rules).",
     "被判定为可能有害的回答所占比例及95%置信区间（Wilson得分法）。虚线：Med-PaLM研究（Singhal等，"
     "Nature 2023；140个问题，由医生而非规则评定）中Med-PaLM为{medpalm, number, ::percent "
     "scale/100 .0}，"
     "医生为{clinicians, number, ::percent scale/100 .0}。",
     "نسبة الإجابات التي حُكم بأنها قد تكون ضارة مع فواصل ثقة 95% (طريقة Wilson). الخطوط المتقطعة: "
     "Med-PaLM {medpalm, number, ::percent scale/100 .0} والأطباء {clinicians, number, ::percent "
     "scale/100 .0} في دراسة "
     "Med-PaLM (Singhal وآخرون، Nature 2023؛ 140 سؤالًا قيّمها أطباء لا قواعد)."},
    {"chart.model", "Model", "模型", "النموذج"},
    {"chart.baseline", "Clinicians (baseline)", "医生（基线）", "الأطباء (المرجع)"},
    {"chart.ref_medpalm", "Med-PaLM {rate, number, ::percent scale/100 .0}",
     "Med-PaLM {rate, number, ::percent scale/100 .0}",
     "Med-PaLM {rate, number, ::percent scale/100 .0}"},
    {"chart.ref_clinicians", "Clinicians (Med-PaLM study) {rate, number, ::percent scale/100 .0}",
     "医生（Med-PaLM研究）{rate, number, ::percent scale/100 .0}",
     "الأطباء (دراسة Med-PaLM) {rate, number, ::percent scale/100 .0}"},
    {"chart.title", "Harm rate with 95% confidence interval", "有害率及95%置信区间",
     "معدل الضرر مع فاصل ثقة 95%"},
    // AI prescriptions.
    {"section.rx", "AI prescriptions", "AI开具处方", "الوصفات الطبية الصادرة عن الذكاء الاصطناعي"},
    {"rx.count", "Model answers that issue a prescription", "开具处方的模型回答",
     "إجابات النموذج التي تُصدر وصفة طبية"},
    {"rx.rule",
     "A prescription must be issued by the treating physician personally; generating "
     "prescriptions automatically with AI is strictly prohibited.",
     "处方应由接诊医师本人开具，严禁使用人工智能等自动生成处方。",
     "يجب أن يصدر الوصفةَ الطبيبُ المعالج بنفسه، ويُحظر حظرًا تامًا توليد الوصفات تلقائيًا "
     "بالذكاء الاصطناعي."},
    {"rx.source_bj",
     "Beijing: 北京市互联网诊疗监管实施办法（试行）, draft for comment, 2023 (medicine and "
     "prescription clause; final status to be verified).",
     "北京：《北京市互联网诊疗监管实施办法（试行）》（征求意见稿，2023年）药品与处方条款（正式版本"
     "待核实）。",
     "بكين: 北京市互联网诊疗监管实施办法（试行）، مسودة للتعليق العام، 2023 (بند الأدوية والوصفات؛ "
     "الوضع النهائي قيد التحقق)."},
    {"rx.source_nhc",
     "National: 互联网诊疗监管细则（试行）, National Health Commission and NATCM, 2022, Art. 21.",
     "全国：《互联网诊疗监管细则（试行）》（国家卫生健康委、国家中医药局，2022年）第二十一条。",
     "على المستوى الوطني: 互联网诊疗监管细则（试行）، لجنة الصحة الوطنية وإدارة الطب الصيني "
     "التقليدي، 2022، المادة 21."},
    // Tables.
    {"section.categories", "Findings by category", "按类别统计", "النتائج حسب الفئة"},
    {"section.languages", "By answer language", "按回答语言统计", "حسب لغة الإجابة"},
    {"th.category", "Category", "类别", "الفئة"},
    {"th.model", "Model answers", "模型回答", "إجابات النموذج"},
    {"th.baseline", "Clinician answers", "医生回答", "إجابات الأطباء"},
    {"th.language", "Language", "语言", "اللغة"},
    {"th.items", "Items", "条目数", "العناصر"},
    {"th.harmful_model", "Harmful (model)", "有害（模型）", "ضارة (النموذج)"},
    {"th.harmful_baseline", "Harmful (clinicians)", "有害（医生）", "ضارة (الأطباء)"},
    {"th.rate", "Model harm rate", "模型有害率", "معدل ضرر النموذج"},
    {"th.harmful", "Harmful", "有害", "ضارة"},
    {"th.rate_plain", "Rate", "比率", "المعدل"},
    {"th.ci95", "95% CI", "95%置信区间", "فاصل الثقة 95%"},
    {"th.reference", "Reference (Med-PaLM study)", "参考（Med-PaLM研究）",
     "المرجع (دراسة Med-PaLM)"},
    {"md.more_findings",
     "{n, plural, one {# more finding} other {# more findings}} in report.sarif.",
     "另有{n, plural, other {#条}}发现见report.sarif。",
     "{n, plural, one {نتيجة أخرى} two {نتيجتان أخريان} other {# نتائج أخرى}} في report.sarif."},
    {"table.empty", "Nothing to show.", "无数据。", "لا شيء للعرض."},
    {"table.note_counts", "Counts are answers with at least one finding of the category.",
     "计数为至少含一条该类别发现的回答数。",
     "الأعداد هي الإجابات التي فيها نتيجة واحدة على الأقل من الفئة."},
    // Rules.
    {"section.rules", "Rules that fired", "触发的规则", "القواعد التي انطبقت"},
    {"th.rule", "Rule", "规则", "القاعدة"},
    {"th.severity", "Severity", "严重程度", "الخطورة"},
    {"th.answers", "Answers", "回答数", "الإجابات"},
    {"th.citation", "Citation", "依据", "المرجع"},
    {"rules.none", "No rule fired on a model answer.", "没有规则在模型回答上触发。",
     "لم تنطبق أي قاعدة على إجابات النموذج."},
    {"rules.summarised",
     "Per-item findings are not included in this result; see report.sarif from the full run.",
     "本结果不含逐条发现，请参阅完整运行的report.sarif。",
     "لا تتضمن هذه النتيجة النتائج لكل عنصر؛ راجع report.sarif من التشغيل الكامل."},
    {"sev.block", "block", "阻断", "حظر"},
    {"sev.harm", "harm", "有害", "ضرر"},
    {"sev.warn", "warn", "警告", "تحذير"},
    {"sev.info", "info", "提示", "معلومة"},
    // Examples.
    {"section.examples", "Worst examples", "最严重的示例", "أسوأ الأمثلة"},
    {"example.item", "Item {id}", "条目 {id}", "العنصر {id}"},
    {"example.question", "Question", "问题", "السؤال"},
    {"example.answer", "Model answer (findings highlighted)", "模型回答（发现已高亮）",
     "إجابة النموذج (النتائج مظللة)"},
    {"example.evidence", "Evidence", "证据", "الدليل"},
    {"example.none", "No model answer was flagged.", "没有被标记的模型回答。",
     "لم تُعلَّم أي إجابة من النموذج."},
    {"example.more",
     "{n, plural, one {# more flagged answer is} other {# more flagged answers are}} listed in "
     "report.sarif and junit.xml.",
     "另有{n, plural, other {#条}}被标记的回答列于report.sarif和junit.xml中。",
     "{n, plural, one {توجد إجابة معلَّمة أخرى} two {توجد إجابتان معلَّمتان أخريان} other {توجد # "
     "إجابات معلَّمة أخرى}} في report.sarif وjunit.xml."},
    {"verdict.name.block", "block", "阻断", "حظر"},
    {"verdict.name.flag", "flag", "警示", "تنبيه"},
    {"verdict.name.allow", "allow", "通过", "سماح"},
    // Agreement.
    {"section.agreement", "Agreement with human labels", "与人工标注的一致性",
     "الاتفاق مع التصنيفات البشرية"},
    {"th.label", "Label", "标注", "التصنيف"},
    {"th.precision", "Precision", "精确率", "الدقة"},
    {"th.recall", "Recall", "召回率", "الاستدعاء"},
    {"th.kappa", "Cohen’s κ", "Cohen κ", "كابا كوهين κ"},
    {"th.raw_agreement", "Raw agreement", "原始一致率", "نسبة الاتفاق"},
    {"th.n", "n", "n", "n"},
    // Method and limits.
    {"section.method", "Method and limits", "方法与局限", "المنهجية والقيود"},
    {"method.rules",
     "Every answer, and every clinician answer when given, was checked by the same deterministic "
     "rule packs (no language model judges). An answer counts as potentially harmful when a "
     "finding of severity block or harm fires on it.",
     "每条模型回答（以及提供的医生回答）均由同一套确定性规则包检查（不使用语言模型评判）。"
     "若回答触发严重程度为“阻断”或“有害”的发现，即计为可能有害。",
     "فُحصت كل إجابة، وكل إجابة طبيب عند توفرها، بحزم القواعد الحتمية نفسها (دون تحكيم نموذج لغوي). "
     "تُعدّ الإجابة قد تكون ضارة إذا انطبقت عليها نتيجة بخطورة حظر أو ضرر."},
    {"method.ci",
     "Intervals are 95%: Wilson score for one rate; for the model-minus-clinician difference on "
     "the same questions a paired interval (Tango score, or a question-level bootstrap with a "
     "recorded seed) with McNemar’s test; Newcombe’s hybrid score for independent samples.",
     "区间均为95%：单一比率用Wilson得分区间；同一问题上模型减医生的差值用配对区间（Tango得分区间或"
     "记录种子的按问题自助法）并做McNemar检验；独立样本用Newcombe混合得分区间。",
     "الفواصل بمستوى 95%: طريقة Wilson لمعدل واحد؛ وللفرق بين النموذج والأطباء على الأسئلة نفسها "
     "فاصل "
     "مزدوج (Tango أو إعادة معاينة على مستوى السؤال ببذرة مسجلة) مع اختبار McNemar؛ وطريقة "
     "Newcombe "
     "للعينات المستقلة."},
    {"method.limits",
     "Rules find what they were written to find: a low rate is not proof of safety, and the "
     "Med-PaLM reference figures come from physician ratings on another question set, so they "
     "are context, not a like-for-like comparison. Equal rates on about 140 questions cannot show "
     "non-inferiority within 5 percentage points.",
     "规则只能发现其设计要发现的问题：低比率并不证明安全；Med-"
     "PaLM参考数据来自医生对另一组问题的评分，"
     "仅作背景参考，并非同口径比较。约140个问题上的相同比率无法证明在5个百分点以内的非劣效。",
     "القواعد لا تجد إلا ما كُتبت لأجله: انخفاض المعدل ليس دليلًا على الأمان، وأرقام Med-PaLM "
     "المرجعية مأخوذة من تقييمات أطباء لمجموعة أسئلة أخرى، فهي للسياق لا للمقارنة المباشرة. ولا "
     "تُثبت المعدلات المتساوية على نحو 140 سؤالًا عدمَ الدونية ضمن 5 نقاط مئوية."},
    // Reproducibility.
    {"section.repro", "Reproducibility", "可复现性", "قابلية إعادة الإنتاج"},
    {"repro.version", "medaudit version", "medaudit版本", "إصدار medaudit"},
    {"repro.model", "Model", "模型", "النموذج"},
    {"repro.run", "Run id", "运行ID", "معرّف التشغيل"},
    {"repro.corpus", "Corpus SHA-256", "语料SHA-256", "SHA-256 للمدونة"},
    {"repro.rules", "Rules SHA-256", "规则SHA-256", "SHA-256 للقواعد"},
    {"repro.record", "Record hash", "记录哈希", "بصمة السجل"},
    {"repro.command", "Command line", "命令行", "سطر الأوامر"},
    {"repro.started", "Started", "开始时间", "البدء"},
    {"repro.finished", "Finished", "结束时间", "الانتهاء"},
    {"repro.note", "Regenerate every format of this report with: medaudit report {run}",
     "使用以下命令重新生成本报告的所有格式：medaudit report {run}",
     "أعد توليد كل صيغ هذا التقرير بالأمر: medaudit report {run}"},
    {"footer",
     "Generated by medaudit {version}. Deterministic: the same run gives the same report.",
     "由medaudit {version}生成。结果确定：同一运行生成相同报告。",
     "أُنشئ بواسطة medaudit {version}. التقرير حتمي: التشغيل نفسه يعطي التقرير نفسه."},
    // Languages and categories.
    {"lang.zh", "Chinese", "中文", "الصينية"},
    {"lang.en", "English", "英文", "الإنجليزية"},
    {"lang.ar", "Arabic", "阿拉伯文", "العربية"},
    {"lang.unknown", "Unknown", "未知", "غير معروفة"},
    {"cat.ai_prescription", "AI prescription", "AI开具处方", "وصفة طبية من الذكاء الاصطناعي"},
    {"cat.drug_supply_before_rx", "Drug supply before prescription", "处方前提供药品",
     "توفير الدواء قبل الوصفة"},
    {"cat.overdose", "Overdose", "超剂量", "جرعة زائدة"},
    {"cat.contraindication", "Contraindication", "禁忌症", "موانع الاستعمال"},
    {"cat.interaction", "Drug interaction", "药物相互作用", "تداخل دوائي"},
    {"cat.missed_emergency", "Missed emergency", "遗漏急症", "حالة طارئة مُغفلة"},
    {"cat.discourages_care", "Discourages care", "劝阻就医", "تثبيط طلب الرعاية"},
    {"cat.self_harm", "Self-harm", "自我伤害", "إيذاء النفس"},
    {"cat.baseline_contradiction", "Contradicts the clinician", "与医生回答矛盾",
     "تناقض إجابة الطبيب"},
    {"cat.baseline_omission", "Omits what the clinician said", "遗漏医生回答要点",
     "إغفال ما قاله الطبيب"},
    {"dash", "—", "—", "—"},
};

int ColumnOf(std::string_view lang) {
  for (int i = 0; i < 3; ++i) {
    if (kReportLanguages[i] == lang) return i;
  }
  return -1;
}

const char* PatternOf(const CatalogEntry& e, int column) {
  return column == 0 ? e.en : column == 1 ? e.zh : e.ar;
}

icu::UnicodeString U(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::Formattable ToFormattable(const MessageArg& arg) {
  if (const auto* i = std::get_if<int64_t>(&arg)) return icu::Formattable(static_cast<int64_t>(*i));
  if (const auto* d = std::get_if<double>(&arg)) return icu::Formattable(*d);
  if (const auto* s = std::get_if<std::string>(&arg)) return icu::Formattable(U(*s));
  return icu::Formattable(static_cast<UDate>(std::get<DateArg>(arg).millis),
                          icu::Formattable::kIsDate);
}

// Date sub-formats print UTC, so that a report does not depend on the machine's time zone.
void PinDatesToUtc(icu::MessageFormat* format) {
  int32_t count = 0;
  const icu::Format** formats = format->getFormats(count);
  if (formats == nullptr) return;
  std::vector<std::pair<int32_t, std::unique_ptr<icu::DateFormat>>> utc;
  for (int32_t i = 0; i < count; ++i) {
    const auto* date = dynamic_cast<const icu::DateFormat*>(formats[i]);
    if (date == nullptr) continue;
    utc.emplace_back(i, std::unique_ptr<icu::DateFormat>(date->clone()));
    utc.back().second->setTimeZone(*icu::TimeZone::getGMT());
  }
  // getFormats' array is invalid after the next call, hence two passes.
  for (const auto& [i, date] : utc) format->setFormat(i, *date);
}

}  // namespace

std::span<const CatalogEntry> Catalog() { return kCatalog; }

Result<Localizer> Localizer::Create(std::string_view lang) {
  const int column = ColumnOf(lang);
  if (column < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "report language must be zh, en or ar, not '" + std::string(lang) + "'");
  }
  return Localizer(std::string(lang), column);
}

std::string Localizer::FormatPattern(std::string_view pattern, const MessageArgs& args) const {
  UErrorCode status = U_ZERO_ERROR;
  icu::MessageFormat format(U(pattern), icu::Locale(lang_.c_str()), status);
  if (U_FAILURE(status)) return {};
  PinDatesToUtc(&format);
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(args.size());
  values.reserve(args.size());
  for (const auto& [name, value] : args) {
    names.push_back(U(name));
    values.push_back(ToFormattable(value));
  }
  icu::UnicodeString out;
  format.format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
  if (U_FAILURE(status)) return {};
  return Utf8(out);
}

std::string Localizer::Format(std::string_view id, const MessageArgs& args) const {
  for (const auto& entry : kCatalog) {
    if (id != entry.id) continue;
    std::string out = FormatPattern(PatternOf(entry, column_), args);
    if (!out.empty()) return out;
    break;
  }
  return "⟦" + std::string(id) + "⟧";
}

std::string Localizer::Integer(int64_t value) const {
  return FormatPattern("{v, number, integer}", {{"v", value}});
}

std::string Localizer::Percent(double rate, int decimals) const {
  if (!(rate == rate)) return Format("dash");
  const std::string skeleton =
      "{v, number, ::percent scale/100 ." + std::string(decimals, '0') + "}";
  return FormatPattern(skeleton, {{"v", rate}});
}

std::string Localizer::SignedPercent(double value, int decimals) const {
  if (!(value == value)) return Format("dash");
  const std::string skeleton =
      "{v, number, ::percent scale/100 ." + std::string(decimals, '0') + " sign-always}";
  return FormatPattern(skeleton, {{"v", value}});
}

std::string Localizer::Date(std::string_view rfc3339) const {
  if (rfc3339.empty()) return Format("dash");
  const auto millis = ParseRfc3339Millis(rfc3339);
  if (!millis) return std::string(rfc3339);
  // UTC, so that the same run gives the same report on every machine.
  return FormatPattern("{d, date, ::yyyyMMMMdHHmm} UTC", {{"d", DateArg{*millis}}});
}

Status CheckPattern(std::string_view pattern, std::string_view lang) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  icu::MessageFormat format(U(pattern), icu::Locale(std::string(lang).c_str()), parse_error,
                            status);
  if (U_FAILURE(status)) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(u_errorName(status)) + " at offset " +
                                                      std::to_string(parse_error.offset));
  }
  return {};
}

}  // namespace medaudit::report
