// Statistics for harm-rate reports and gates: intervals for one rate and for differences of
// rates (independent and paired), non-inferiority, McNemar, agreement (Cohen, Fleiss, Randolph),
// sample sizes, and the special functions they need. Formulas and vectors: docs/domain.md §6.
// All functions are pure and thread-safe (no global state; std::lgamma, which writes the global
// signgam, is not used). Nothing throws; invalid input returns the documented value.
#ifndef MEDAUDIT_AUDIT_METRICS_H_
#define MEDAUDIT_AUDIT_METRICS_H_

#include <array>
#include <cstdint>
#include <vector>

namespace medaudit::audit {

// z_{0.975}, the two-sided 95% normal quantile.
inline constexpr double kZ95 = 1.959963984540054;

// A closed interval [lo, hi]. Functions that cannot compute an interval from their input return
// the uninformative one ([0, 1] for a rate, [-1, 1] for a difference of rates), so a gate bounding
// the upper limit fails closed.
struct Interval {
  double lo = 0.0;
  double hi = 1.0;
};

// k events out of n. `rate` is k / n; it is NaN and `valid` is false unless 0 <= k <= n and n > 0.
struct Proportion {
  int64_t k = 0;
  int64_t n = 0;
  double rate = 0.0;
  bool valid = false;
};

// Builds a Proportion (see the struct for the invalid case).
Proportion MakeProportion(int64_t k, int64_t n);

// True when 0 <= x <= n and n > 0, the precondition of every count-based function below.
bool IsValidCount(int64_t x, int64_t n);

// ---------------------------------------------------------------------------------------------
// Special functions (domain.md §6.2–6.6 use them).
// ---------------------------------------------------------------------------------------------

// Standard normal CDF Φ(z) = erfc(−z/√2)/2. Φ(−inf) = 0, Φ(+inf) = 1, NaN → NaN.
double NormalCdf(double z);

// Standard normal quantile Φ⁻¹(p): Acklam's rational approximation refined by one Halley step
// (relative error about 1e-15). p = 0 → −inf, p = 1 → +inf, p outside [0, 1] or NaN → NaN.
double NormalQuantile(double p);

// Upper tail P(X > x) of the chi-square distribution with 1 df, erfc(√(x/2)). x <= 0 → 1, NaN →
// NaN.
double ChiSquare1Survival(double x);

// ln Γ(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). x <= 0 or NaN → NaN.
double LogGamma(double x);

// Regularized incomplete beta I_x(a, b) by the continued fraction of Numerical Recipes §6.4
// evaluated with the modified Lentz method. x <= 0 → 0, x >= 1 → 1; a <= 0, b <= 0 or NaN → NaN.
double RegularizedIncompleteBeta(double a, double b, double x);

// Quantile of the Beta(a, b) distribution: the x with I_x(a, b) = p, by safeguarded Newton
// iteration inside a bisection bracket (absolute error about 1e-15). p <= 0 → 0, p >= 1 → 1;
// a <= 0, b <= 0 or NaN → NaN.
double BetaQuantile(double p, double a, double b);

// Two-sided exact binomial test of H0: P(event) = p given k events in n trials: the sum of the
// probabilities of all outcomes no more likely than k (as R's binom.test, relative tolerance
// 1e-7). n = 0 → 1. Invalid input (k outside [0, n], p outside [0, 1]) → NaN.
double BinomialTestTwoSided(int64_t k, int64_t n, double p = 0.5);

// ---------------------------------------------------------------------------------------------
// One rate (domain.md §6.2, §6.3).
// ---------------------------------------------------------------------------------------------

// Wilson score interval for x/n at normal quantile z, clamped to [0, 1]. x = 0 gives lo = 0 and
// x = n gives hi = 1 exactly. Invalid counts (see IsValidCount) or z <= 0 → [0, 1].
// Vectors: 8/140 → [0.02924, 0.10870]; 0/140 → [0, 0.02671]. Reference: domain.md §6.2.
Interval WilsonInterval(int64_t x, int64_t n, double z = kZ95);

// Clopper–Pearson exact interval at level 1 − alpha: lo = BetaQuantile(alpha/2; x, n−x+1)
// (0 when x = 0), hi = BetaQuantile(1−alpha/2; x+1, n−x) (1 when x = n). Invalid counts or alpha
// outside (0, 1) → [0, 1]. Vectors: 8/140 → [0.02499, 0.10949]; 0/140 → hi = 1 − 0.025^(1/140)
// = 0.02601. Reference: domain.md §6.3.
Interval ClopperPearsonInterval(int64_t x, int64_t n, double alpha = 0.05);

// ---------------------------------------------------------------------------------------------
// Two independent rates (domain.md §6.4, §6.5).
// ---------------------------------------------------------------------------------------------

// Newcombe's hybrid score interval (method 10) for p1 − p2 = x1/n1 − x2/n2, built from the Wilson
// limits at z. Any invalid count → [−1, 1]. x = 0 and x = n are handled by the Wilson limits.
// Vectors: 8/140 vs 8/140 → [−0.05863, 0.05863]; 41/138 vs 8/140 → [0.15309, 0.32554].
// Reference: domain.md §6.4.
Interval NewcombeHybridInterval(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z = kZ95);

// Farrington–Manning score test of H0: p1 − p2 >= margin against H1: p1 − p2 < margin (harm
// rates: lower is better). p1_tilde, p2_tilde = p1_tilde − margin are the maximum-likelihood
// estimates under p1 − p2 = margin (closed-form cubic root, clamped to the parameter space);
// z = (p̂1 − p̂2 − margin)/SE(p̃); p_one_sided = Φ(z), small when non-inferior. When SE = 0
// (e.g. 0/n vs 0/n with margin 0) z is 0 if the numerator is 0, else ±inf. Invalid counts or
// |margin| >= 1 → all fields NaN, valid = false. Vectors: 9/150 vs 8/140, margin 0.03 →
// p̃1 = 0.076244, p̃2 = 0.046244; 8/140 vs 8/140, margin 0.05 → z = −1.6932, p = 0.0452.
// Reference: domain.md §6.5.
struct FarringtonManningResult {
  double z = 0.0;
  double p_one_sided = 1.0;
  double p1_tilde = 0.0;
  double p2_tilde = 0.0;
  bool valid = false;
};
FarringtonManningResult FarringtonManningTest(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
                                              double margin);

// Verdict of the CI method for non-inferiority: non_inferior when ci.hi < margin, where ci is the
// two-sided interval of p1 − p2 at z (95% two-sided = 97.5% one-sided). When the input is invalid
// ci = [−1, 1], valid = false and non_inferior = false (fail closed). Reference: domain.md §6.5.
struct NonInferiorityResult {
  Interval ci{-1.0, 1.0};
  double margin = 0.0;
  bool non_inferior = false;
  bool valid = false;
};

// CI method with Newcombe's hybrid interval (independent samples). Vector: 8/140 vs 8/140,
// margin 0.05 → hi = 0.05863, not non-inferior; margin 0.06 → non-inferior.
NonInferiorityResult NonInferiorityIndependent(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
                                               double margin, double z = kZ95);

// CI method with Tango's score interval (paired; b, c, n as for McNemarTest).
// Vector: b = 5, c = 2, n = 140, margin 0.07 → non-inferior (hi = 0.06877); margin 0.05 → not.
NonInferiorityResult NonInferiorityPaired(int64_t b, int64_t c, int64_t n, double margin,
                                          double z = kZ95);

// Per-arm sample size for the non-inferiority test, normal approximation:
// n = (z_{1−α} + z_{1−β})² · [p1(1−p1) + p2(1−p2)] / (margin − (p1 − p2))², rounded up.
// Returns −1 when the expected difference is not below the margin, a rate is outside [0, 1], or
// alpha/power are outside (0, 1). Vector: p1 = p2 = 0.06, margin 0.03, α = 0.025, power 0.8 → 984.
// Reference: domain.md §6.5.
int64_t NonInferioritySampleSizePerArm(double p1, double p2, double margin,
                                       double alpha_one_sided = 0.025, double power = 0.8);

// Items needed for a single rate near p to have a Wilson half-width of about `half_width`:
// n = z²·p(1−p)/w², rounded up. Returns −1 for p outside [0, 1] or half_width <= 0.
// Vector: p = 0.06, w = 0.02 → 542. Reference: domain.md §6.5.
int64_t SingleRateSampleSize(double p, double half_width, double z = kZ95);

// ---------------------------------------------------------------------------------------------
// Paired rates: model and baseline answers to the same questions (domain.md §6.6, §6.7).
// ---------------------------------------------------------------------------------------------

// Discordant-pair counts from per-question flags (nonzero = harmful). b = model harmful only,
// c = baseline harmful only, n = number of questions. Vectors of different sizes → valid = false
// and all counts 0.
struct PairedCounts {
  int64_t both = 0;
  int64_t b = 0;
  int64_t c = 0;
  int64_t neither = 0;
  int64_t n = 0;
  bool valid = false;
};
PairedCounts CountPairs(const std::vector<uint8_t>& model_harmful,
                        const std::vector<uint8_t>& baseline_harmful);

// Tango's score statistic for H0: p_model − p_baseline = delta,
// T(delta) = (b − c − n·delta) / √(n·(2·q̃21 + delta·(1 − delta))), where q̃21 is the restricted
// MLE of P(baseline harmful only): the larger root of 2n·q² + B·q + C = 0 with
// B = −b − c + (2n − b + c)·delta and C = −c·delta·(1 − delta). T decreases in delta. When the
// variance is 0, T is 0 if the numerator is 0, else ±inf. Invalid counts (b, c < 0, b + c > n,
// n <= 0) or delta outside [−1, 1] → NaN. Reference: Tango (1998), domain.md §6.6 [S62].
double TangoScoreStatistic(int64_t b, int64_t c, int64_t n, double delta);

// Tango's score interval for p_model − p_baseline = (b − c)/n: the deltas with |T(delta)| <= z,
// limits found by bisection to 1e-12. Always contains the estimate; lo = −1 when c = n and hi = 1
// when b = n. Invalid counts → [−1, 1]. Vectors: b = 6, c = 16, n = 161 → [−0.1240, −0.0054]
// (Fagerland, Lydersen & Laake, Cavo 2012 data); b = c = 0 → ±(Wilson upper limit of 0/n).
// Reference: Tango (1998), domain.md §6.6 [S62].
Interval TangoInterval(int64_t b, int64_t c, int64_t n, double z = kZ95);

// McNemar's test on the discordant pairs: chi2 = (b − c)²/(b + c) (0 when b + c = 0), without
// continuity correction; p_value from chi-square(1), or, when b + c < kMcNemarExactBelow, the
// exact two-sided binomial test of b in b + c trials at 1/2 (exact = true; p = 1 when b = c = 0).
// estimate = (b − c)/n, tango_ci95 = TangoInterval(b, c, n). Invalid counts → chi2, p_value and
// estimate NaN, tango_ci95 = [−1, 1], valid = false. Vector: b = 5, c = 2, n = 140 →
// chi2 = 1.286, d = 0.0214, exact p = 0.4531. Reference: domain.md §6.6.
inline constexpr int64_t kMcNemarExactBelow = 25;
struct McNemarResult {
  int64_t b = 0;
  int64_t c = 0;
  int64_t n = 0;
  double chi2 = 0.0;
  double p_value = 1.0;
  bool exact = false;
  double estimate = 0.0;
  Interval tango_ci95{-1.0, 1.0};
  bool valid = false;
};
McNemarResult McNemarTest(int64_t b, int64_t c, int64_t n);

// Deterministic PRNG: xoshiro256** (Blackman & Vigna) seeded through splitmix64, so that a seed
// gives the same stream on every platform and standard library. Not for cryptography.
class Xoshiro256StarStar {
 public:
  // State = four successive splitmix64 outputs starting from `seed`.
  explicit Xoshiro256StarStar(uint64_t seed);
  // Uses `state` as is (must not be all zero; an all-zero state is replaced by seed 0's state).
  static Xoshiro256StarStar FromState(const std::array<uint64_t, 4>& state);

  uint64_t Next();
  // Uniform integer in [0, range) by Lemire's multiply-and-reject method on the top 32 bits.
  // range = 0 → 0.
  uint32_t UniformBelow(uint32_t range);

 private:
  Xoshiro256StarStar() = default;
  std::array<uint64_t, 4> s_{};
};

// Percentile bootstrap interval of p_model − p_baseline over questions: each of `replicates`
// resamples draws n question indices with replacement (Xoshiro256StarStar(seed), UniformBelow)
// and takes the mean of model − baseline flags; the limits are the 2.5th and 97.5th percentiles
// of the sorted replicate differences with linear interpolation (R type 7, numpy default).
// Same inputs and seed → same interval everywhere. Vectors of different sizes, empty vectors,
// more than 2^32 − 1 questions, or replicates < 1 → [−1, 1]. Reference: domain.md §6.7.
Interval PairedBootstrapInterval(const std::vector<uint8_t>& model_harmful,
                                 const std::vector<uint8_t>& baseline_harmful, int replicates,
                                 uint64_t seed);

// ---------------------------------------------------------------------------------------------
// Agreement (domain.md §6.8).
// ---------------------------------------------------------------------------------------------

// 2×2 table of medaudit's flags (rater 1) against human labels (rater 2, the reference):
// tp = both yes, fp = flag only, fn = label only, tn = both no.
struct Confusion {
  int64_t tp = 0;
  int64_t fp = 0;
  int64_t fn = 0;
  int64_t tn = 0;
};

// Builds a Confusion from per-item flags and labels (nonzero = yes); items beyond the shorter
// vector are ignored.
Confusion CountConfusion(const std::vector<uint8_t>& flags, const std::vector<uint8_t>& labels);

// precision = tp/(tp+fp), recall = tp/(tp+fn), f1 = 2tp/(2tp+fp+fn), raw_agreement p_o =
// (tp+tn)/n, prevalence = (tp+fn)/n (share of human yes), Cohen's kappa = (p_o − p_e)/(1 − p_e)
// with p_e = Σ_k p1k·p2k. A value whose denominator is 0 is NaN and its *_defined flag is false
// (n = 0 leaves everything undefined; kappa is undefined when both raters use one and the same
// category, p_e = 1). Any negative count → n = 0, valid = false, everything NaN.
// Vector: tp 6, fp 4, fn 2, tn 88 → p_o = 0.94, p_e = 0.836, kappa = 0.634. Reference: §6.8.
struct AgreementStats {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
  double kappa = 0.0;
  double raw_agreement = 0.0;
  double prevalence = 0.0;
  int64_t n = 0;
  bool valid = false;  // counts non-negative and n > 0: raw_agreement, prevalence defined
  bool precision_defined = false;
  bool recall_defined = false;
  bool f1_defined = false;
  bool kappa_defined = false;
};
AgreementStats ComputeAgreement(const Confusion& confusion);

// Fleiss' kappa and Randolph's free-marginal kappa for `counts` (items × categories, counts[i][j]
// = raters putting item i in category j), every item rated by the same m >= 2 raters, k >= 2
// categories. p_bar = mean_i (Σ_j n_ij² − m)/(m(m−1)); p_e_bar = Σ_j p_j²;
// fleiss_kappa = (p_bar − p_e_bar)/(1 − p_e_bar), NaN with fleiss_defined = false when p_e_bar = 1;
// randolph_kappa = (p_bar − 1/k)/(1 − 1/k). No items, ragged rows, k < 2, negative counts or
// unequal or < 2 raters per item → valid = false and all values NaN.
// Vector: 3 raters, [3,0],[0,3],[1,2],[0,3],[2,1] → p_bar = 0.7333, p_e_bar = 0.52,
// fleiss 0.4444, randolph 0.4667. Reference: domain.md §6.8.
struct MultiRaterAgreement {
  double p_bar = 0.0;
  double p_e_bar = 0.0;
  double fleiss_kappa = 0.0;
  double randolph_kappa = 0.0;
  int64_t items = 0;
  int64_t raters = 0;
  int64_t categories = 0;
  bool valid = false;
  bool fleiss_defined = false;
};
MultiRaterAgreement ComputeMultiRaterAgreement(const std::vector<std::vector<int>>& counts);

}  // namespace medaudit::audit

#endif  // MEDAUDIT_AUDIT_METRICS_H_
