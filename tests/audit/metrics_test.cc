// Tests of audit/metrics.h against the vectors of docs/domain.md §6 and independent references
// (closed forms, published package outputs, brute-force scans).
#include "audit/metrics.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <tuple>
#include <utility>
#include <vector>

namespace medaudit::audit {
namespace {

constexpr double kMargin = 5e-5;

// Flags for a paired sample: `both` questions harmful in both answers, b model only, c baseline
// only, the rest harmful in neither.
void MakePairedFlags(int both, int b, int c, int n, std::vector<uint8_t>* model,
                     std::vector<uint8_t>* baseline) {
  model->assign(static_cast<std::size_t>(n), 0);
  baseline->assign(static_cast<std::size_t>(n), 0);
  std::size_t i = 0;
  for (int k = 0; k < both; ++k, ++i) (*model)[i] = (*baseline)[i] = 1;
  for (int k = 0; k < b; ++k, ++i) (*model)[i] = 1;
  for (int k = 0; k < c; ++k, ++i) (*baseline)[i] = 1;
}

// Golden-section maximum of a unimodal function on [lo, hi].
template <typename F>
double ArgMax(F f, double lo, double hi) {
  const double g = (std::sqrt(5.0) - 1.0) / 2.0;
  for (int i = 0; i < 300; ++i) {
    const double x1 = hi - g * (hi - lo);
    const double x2 = lo + g * (hi - lo);
    if (f(x1) > f(x2)) {
      hi = x2;
    } else {
      lo = x1;
    }
  }
  return 0.5 * (lo + hi);
}

// k·ln(p) with the convention 0·ln(0) = 0.
double XLogY(double k, double p) { return k == 0.0 ? 0.0 : k * std::log(p); }

TEST_CASE("Metrics: normal quantile and CDF match reference values", "[audit]") {
  CHECK(NormalQuantile(0.975) == Approx(1.959964).margin(kMargin));
  CHECK(NormalQuantile(0.975) == Approx(kZ95).epsilon(1e-14));
  CHECK(NormalQuantile(0.025) == Approx(-kZ95).epsilon(1e-14));
  CHECK(NormalQuantile(0.5) == Approx(0.0).margin(1e-15));
  CHECK(NormalQuantile(0.3) == Approx(-0.5244005127080407).epsilon(1e-14));
  CHECK(NormalQuantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-13));
  CHECK(NormalQuantile(0.999999) == Approx(4.753424308817089).epsilon(1e-9));
  CHECK(NormalCdf(1.959964) == Approx(0.975).margin(kMargin));
  CHECK(NormalCdf(0.0) == 0.5);
  for (double p : {1e-300, 1e-12, 0.001, 0.02425, 0.1, 0.4, 0.6, 0.9, 0.999}) {
    CHECK(NormalCdf(NormalQuantile(p)) == Approx(p).epsilon(1e-12));
  }
  CHECK(NormalQuantile(0.0) == -std::numeric_limits<double>::infinity());
  CHECK(NormalQuantile(1.0) == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(NormalQuantile(-0.1)));
  CHECK(std::isnan(NormalQuantile(1.1)));
  CHECK(std::isnan(NormalQuantile(std::nan(""))));
  CHECK(NormalCdf(-std::numeric_limits<double>::infinity()) == 0.0);
  CHECK(NormalCdf(std::numeric_limits<double>::infinity()) == 1.0);
}

TEST_CASE("Metrics: chi-square(1) survival is the two-sided normal tail", "[audit]") {
  CHECK(ChiSquare1Survival(kZ95 * kZ95) == Approx(0.05).epsilon(1e-12));
  CHECK(ChiSquare1Survival(100.0 / 22.0) == Approx(0.033006).margin(kMargin));  // Cavo 2012.
  CHECK(ChiSquare1Survival(0.0) == 1.0);
  CHECK(ChiSquare1Survival(-1.0) == 1.0);
  CHECK(std::isnan(ChiSquare1Survival(std::nan(""))));
}

TEST_CASE("Metrics: log gamma and regularized incomplete beta match closed forms", "[audit]") {
  CHECK(LogGamma(1.0) == Approx(0.0).margin(1e-14));
  CHECK(LogGamma(2.0) == Approx(0.0).margin(1e-14));
  CHECK(LogGamma(0.5) == Approx(0.5 * std::log(std::numbers::pi)).epsilon(1e-14));
  CHECK(LogGamma(10.0) == Approx(std::log(362880.0)).epsilon(1e-14));
  CHECK(LogGamma(100.5) == Approx(361.43554046777762).epsilon(1e-14));
  CHECK(LogGamma(0.1) == Approx(2.2527126517342059).epsilon(1e-13));
  CHECK(std::isnan(LogGamma(0.0)));
  CHECK(std::isnan(LogGamma(-1.5)));

  for (double x : {0.01, 0.2, 0.5, 0.77, 0.99}) {
    CHECK(RegularizedIncompleteBeta(1.0, 1.0, x) == Approx(x).epsilon(1e-13));
    CHECK(RegularizedIncompleteBeta(3.5, 1.0, x) == Approx(std::pow(x, 3.5)).epsilon(1e-12));
    // I_x(2, 3) = 1 − (1−x)^4 − 4x(1−x)^3 (binomial tail, 4 trials, at least 2 events).
    const double y = 1.0 - x;
    CHECK(RegularizedIncompleteBeta(2.0, 3.0, x) ==
          Approx(1.0 - std::pow(y, 4) - 4.0 * x * std::pow(y, 3)).epsilon(1e-12));
  }
  CHECK(RegularizedIncompleteBeta(7.0, 7.0, 0.5) == Approx(0.5).epsilon(1e-13));
  // mpmath.betainc references.
  CHECK(RegularizedIncompleteBeta(2.5, 7.5, 0.3) == Approx(0.67894348586618163).epsilon(1e-12));
  CHECK(RegularizedIncompleteBeta(50.0, 3.0, 0.9) == Approx(0.096633285137252209).epsilon(1e-12));
  CHECK(RegularizedIncompleteBeta(0.5, 5000.0, 1e-3) == Approx(0.99843842083971071).epsilon(1e-12));
  // P(Bin(19999, 0.1005) >= 2000), summed exactly in mpmath.
  CHECK(RegularizedIncompleteBeta(2000.0, 18000.0, 0.1005) ==
        Approx(0.59546825397256127).epsilon(1e-8));

  CHECK(RegularizedIncompleteBeta(2.0, 3.0, 0.0) == 0.0);
  CHECK(RegularizedIncompleteBeta(2.0, 3.0, 1.0) == 1.0);
  CHECK(RegularizedIncompleteBeta(2.0, 3.0, -0.5) == 0.0);
  CHECK(std::isnan(RegularizedIncompleteBeta(0.0, 3.0, 0.5)));
  CHECK(std::isnan(RegularizedIncompleteBeta(2.0, -1.0, 0.5)));
  CHECK(std::isnan(RegularizedIncompleteBeta(2.0, 3.0, std::nan(""))));
}

TEST_CASE("Metrics: beta quantile inverts the incomplete beta", "[audit]") {
  // Beta(1, b) has quantile 1 − (1 − p)^(1/b).
  CHECK(BetaQuantile(0.975, 1.0, 140.0) ==
        Approx(1.0 - std::pow(0.025, 1.0 / 140.0)).epsilon(1e-12));
  CHECK(BetaQuantile(0.5, 7.0, 7.0) == Approx(0.5).epsilon(1e-13));
  for (double p : {1e-8, 0.025, 0.3, 0.5, 0.975, 1.0 - 1e-6}) {
    for (auto [a, b] : {std::pair{8.0, 133.0}, {9.0, 132.0}, {0.5, 0.5}, {0.3, 40.0}, {300., 2.}}) {
      const double x = BetaQuantile(p, a, b);
      CHECK(RegularizedIncompleteBeta(a, b, x) == Approx(p).epsilon(1e-9));
    }
  }
  CHECK(BetaQuantile(0.0, 2.0, 3.0) == 0.0);
  CHECK(BetaQuantile(1.0, 2.0, 3.0) == 1.0);
  CHECK(std::isnan(BetaQuantile(0.5, 0.0, 3.0)));
  CHECK(std::isnan(BetaQuantile(std::nan(""), 1.0, 3.0)));
}

TEST_CASE("Metrics: exact binomial test matches R's binom.test", "[audit]") {
  // Values from exact rational arithmetic with R's rule (sum of outcomes no more likely).
  CHECK(BinomialTestTwoSided(2, 7) == Approx(0.453125).epsilon(1e-12));
  CHECK(BinomialTestTwoSided(5, 7) == Approx(0.453125).epsilon(1e-12));
  CHECK(BinomialTestTwoSided(6, 22) == Approx(0.052478790283203125).epsilon(1e-12));
  CHECK(BinomialTestTwoSided(3, 10) == Approx(0.34375).epsilon(1e-12));
  CHECK(BinomialTestTwoSided(0, 5) == Approx(0.0625).epsilon(1e-12));
  CHECK(BinomialTestTwoSided(1, 10, 0.3) == Approx(0.2995766785).epsilon(1e-9));
  CHECK(BinomialTestTwoSided(9, 20, 0.3) == Approx(0.1488145951754471).epsilon(1e-9));
  CHECK(BinomialTestTwoSided(0, 30, 0.1) == Approx(0.06821794693712607).epsilon(1e-9));
  CHECK(BinomialTestTwoSided(5, 10) == 1.0);
  CHECK(BinomialTestTwoSided(0, 0) == 1.0);
  CHECK(BinomialTestTwoSided(0, 4, 0.0) == 1.0);
  CHECK(BinomialTestTwoSided(1, 4, 0.0) == 0.0);
  CHECK(std::isnan(BinomialTestTwoSided(5, 4)));
  CHECK(std::isnan(BinomialTestTwoSided(-1, 4)));
  CHECK(std::isnan(BinomialTestTwoSided(1, 4, 1.5)));
}

TEST_CASE("Metrics: proportion helper flags invalid counts", "[audit]") {
  const Proportion p = MakeProportion(8, 140);
  CHECK(p.valid);
  CHECK(p.rate == Approx(8.0 / 140.0).epsilon(1e-15));
  CHECK_FALSE(MakeProportion(0, 0).valid);
  CHECK(std::isnan(MakeProportion(0, 0).rate));
  CHECK_FALSE(MakeProportion(5, 4).valid);
  CHECK_FALSE(MakeProportion(-1, 4).valid);
  CHECK(IsValidCount(0, 1));
  CHECK(IsValidCount(1, 1));
  CHECK_FALSE(IsValidCount(0, 0));
}

TEST_CASE("Metrics: Wilson interval matches domain vectors and edges", "[audit]") {
  Interval ci = WilsonInterval(8, 140);
  CHECK(ci.lo == Approx(0.02924).margin(kMargin));
  CHECK(ci.hi == Approx(0.10870).margin(kMargin));
  ci = WilsonInterval(0, 140);
  CHECK(ci.lo == 0.0);
  CHECK(ci.hi == Approx(0.02671).margin(kMargin));
  ci = WilsonInterval(140, 140);  // Mirror of 0/140.
  CHECK(ci.lo == Approx(1.0 - 0.026706200369412982).epsilon(1e-12));
  CHECK(ci.hi == 1.0);
  ci = WilsonInterval(41, 138);
  CHECK(ci.lo == Approx(0.22719).margin(kMargin));
  CHECK(ci.hi == Approx(0.37800).margin(kMargin));
  for (auto [x, n] : {std::pair{5, 4}, {0, 0}, {-1, 10}}) {
    ci = WilsonInterval(x, n);
    CHECK(ci.lo == 0.0);
    CHECK(ci.hi == 1.0);
  }
  ci = WilsonInterval(8, 140, 0.0);
  CHECK(ci.lo == 0.0);
  CHECK(ci.hi == 1.0);
}

TEST_CASE("Metrics: Clopper-Pearson interval matches domain vectors and edges", "[audit]") {
  Interval ci = ClopperPearsonInterval(8, 140);
  CHECK(ci.lo == Approx(0.02499).margin(kMargin));
  CHECK(ci.hi == Approx(0.10949).margin(kMargin));
  CHECK(ci.lo == Approx(0.02499017831093392).epsilon(1e-10));
  CHECK(ci.hi == Approx(0.10948885294673898).epsilon(1e-10));
  ci = ClopperPearsonInterval(0, 140);
  CHECK(ci.lo == 0.0);
  CHECK(ci.hi == Approx(0.02601).margin(kMargin));
  CHECK(ci.hi == Approx(1.0 - std::pow(0.025, 1.0 / 140.0)).epsilon(1e-12));
  ci = ClopperPearsonInterval(140, 140);
  CHECK(ci.lo == Approx(std::pow(0.025, 1.0 / 140.0)).epsilon(1e-12));
  CHECK(ci.hi == 1.0);
  // Clopper–Pearson is wider than Wilson here (conservative).
  CHECK(ClopperPearsonInterval(8, 140).lo < WilsonInterval(8, 140).lo);
  CHECK(ClopperPearsonInterval(8, 140).hi > WilsonInterval(8, 140).hi);
  for (auto [x, n] : {std::pair{5, 4}, {0, 0}, {-1, 10}}) {
    ci = ClopperPearsonInterval(x, n);
    CHECK(ci.lo == 0.0);
    CHECK(ci.hi == 1.0);
  }
  ci = ClopperPearsonInterval(8, 140, 1.5);
  CHECK(ci.lo == 0.0);
  CHECK(ci.hi == 1.0);
}

TEST_CASE("Metrics: Newcombe hybrid interval matches domain vectors", "[audit]") {
  Interval ci = NewcombeHybridInterval(8, 140, 8, 140);
  CHECK(ci.lo == Approx(-0.05863).margin(kMargin));
  CHECK(ci.hi == Approx(0.05863).margin(kMargin));
  ci = NewcombeHybridInterval(41, 138, 8, 140);
  CHECK(ci.lo == Approx(0.15309).margin(kMargin));
  CHECK(ci.hi == Approx(0.32554).margin(kMargin));
  // Swapping the samples negates the interval.
  const Interval swapped = NewcombeHybridInterval(8, 140, 41, 138);
  CHECK(swapped.lo == Approx(-0.32554).margin(kMargin));
  CHECK(swapped.hi == Approx(-0.15309).margin(kMargin));
  // 0/140 vs 0/140: each side is the Wilson upper limit of 0/140.
  ci = NewcombeHybridInterval(0, 140, 0, 140);
  CHECK(ci.lo == Approx(-0.026706200369412982).epsilon(1e-12));
  CHECK(ci.hi == Approx(0.026706200369412982).epsilon(1e-12));
  ci = NewcombeHybridInterval(9, 8, 8, 140);
  CHECK(ci.lo == -1.0);
  CHECK(ci.hi == 1.0);
}

TEST_CASE("Metrics: Farrington-Manning restricted MLE and score test match vectors", "[audit]") {
  FarringtonManningResult r = FarringtonManningTest(9, 150, 8, 140, 0.03);
  REQUIRE(r.valid);
  CHECK(r.p1_tilde == Approx(0.076244).margin(kMargin));
  CHECK(r.p2_tilde == Approx(0.046244).margin(kMargin));
  r = FarringtonManningTest(8, 140, 8, 140, 0.05);
  REQUIRE(r.valid);
  CHECK(r.z == Approx(-1.6932).margin(kMargin));
  CHECK(r.p_one_sided == Approx(0.0452).margin(kMargin));
  CHECK_FALSE(r.p_one_sided < 0.025);  // Not non-inferior at one-sided α = 0.025.
  // Margin 0: the restricted MLE is the pooled rate.
  r = FarringtonManningTest(9, 150, 8, 140, 0.0);
  CHECK(r.p1_tilde == Approx(17.0 / 290.0).epsilon(1e-10));
  CHECK(r.p2_tilde == Approx(17.0 / 290.0).epsilon(1e-10));
  // Zero variance: 0/140 vs 0/140 with margin 0.
  r = FarringtonManningTest(0, 140, 0, 140, 0.0);
  CHECK(r.valid);
  CHECK(r.z == 0.0);
  CHECK(r.p_one_sided == 0.5);
  CHECK_FALSE(FarringtonManningTest(9, 8, 8, 140, 0.03).valid);
  CHECK(std::isnan(FarringtonManningTest(9, 8, 8, 140, 0.03).z));
  CHECK_FALSE(FarringtonManningTest(9, 150, 8, 140, 1.0).valid);
}

TEST_CASE("Metrics: Farrington-Manning MLE maximises the constrained likelihood", "[audit]") {
  struct Case {
    int64_t x1, n1, x2, n2;
    double margin;
  };
  for (const Case& k :
       {Case{9, 150, 8, 140, 0.03}, Case{8, 140, 8, 140, 0.05}, Case{0, 100, 5, 100, 0.02},
        Case{30, 100, 0, 100, 0.05}, Case{5, 100, 20, 100, -0.05}, Case{0, 140, 0, 140, 0.03},
        Case{140, 140, 140, 140, 0.02}, Case{3, 50, 0, 60, 0.1}}) {
    const double delta = k.margin;
    const auto x1 = static_cast<double>(k.x1);
    const auto n1 = static_cast<double>(k.n1);
    const auto x2 = static_cast<double>(k.x2);
    const auto n2 = static_cast<double>(k.n2);
    const auto log_lik = [&](double t) {
      return XLogY(x1, t) + XLogY(n1 - x1, 1.0 - t) + XLogY(x2, t - delta) +
             XLogY(n2 - x2, 1.0 - t + delta);
    };
    const double lo = std::max(0.0, delta) + 1e-13;
    const double hi = std::min(1.0, 1.0 + delta) - 1e-13;
    const double expected = ArgMax(log_lik, lo, hi);
    const FarringtonManningResult r = FarringtonManningTest(k.x1, k.n1, k.x2, k.n2, delta);
    CAPTURE(k.x1, k.n1, k.x2, k.n2, delta);
    CHECK(r.p1_tilde == Approx(expected).margin(1e-7));
    CHECK(r.p2_tilde == Approx(r.p1_tilde - delta).margin(1e-12));
  }
}

TEST_CASE("Metrics: non-inferiority CI method for independent and paired designs", "[audit]") {
  NonInferiorityResult r = NonInferiorityIndependent(8, 140, 8, 140, 0.05);
  CHECK(r.valid);
  CHECK(r.ci.hi == Approx(0.05863).margin(kMargin));
  CHECK_FALSE(r.non_inferior);
  r = NonInferiorityIndependent(8, 140, 8, 140, 0.06);
  CHECK(r.non_inferior);
  r = NonInferiorityIndependent(8, 0, 8, 140, 0.5);
  CHECK_FALSE(r.valid);
  CHECK_FALSE(r.non_inferior);

  r = NonInferiorityPaired(5, 2, 140, 0.07);
  CHECK(r.valid);
  CHECK(r.ci.hi == Approx(0.06877).margin(kMargin));
  CHECK(r.non_inferior);
  r = NonInferiorityPaired(5, 2, 140, 0.05);
  CHECK_FALSE(r.non_inferior);
  r = NonInferiorityPaired(100, 100, 140, 0.5);
  CHECK_FALSE(r.valid);
  CHECK_FALSE(r.non_inferior);
  CHECK(r.ci.lo == -1.0);
  CHECK(r.ci.hi == 1.0);
}

TEST_CASE("Metrics: sample sizes match domain vectors", "[audit]") {
  CHECK(NonInferioritySampleSizePerArm(0.06, 0.06, 0.03, 0.025, 0.8) == 984);
  CHECK(NonInferioritySampleSizePerArm(0.06, 0.06, 0.03) == 984);
  CHECK(SingleRateSampleSize(0.06, 0.02) == 542);
  CHECK(NonInferioritySampleSizePerArm(0.09, 0.06, 0.03) == -1);  // Expected gap = margin.
  CHECK(NonInferioritySampleSizePerArm(0.06, 0.06, 0.03, 0.0, 0.8) == -1);
  CHECK(NonInferioritySampleSizePerArm(1.2, 0.06, 0.03) == -1);
  CHECK(SingleRateSampleSize(0.06, 0.0) == -1);
  CHECK(SingleRateSampleSize(-0.1, 0.02) == -1);
}

TEST_CASE("Metrics: paired counts from per-question flags", "[audit]") {
  std::vector<uint8_t> model;
  std::vector<uint8_t> baseline;
  MakePairedFlags(3, 5, 2, 140, &model, &baseline);
  const PairedCounts p = CountPairs(model, baseline);
  CHECK(p.valid);
  CHECK(p.both == 3);
  CHECK(p.b == 5);
  CHECK(p.c == 2);
  CHECK(p.neither == 130);
  CHECK(p.n == 140);
  CHECK_FALSE(CountPairs({1, 0}, {1}).valid);
}

TEST_CASE("Metrics: McNemar test matches domain and package vectors", "[audit]") {
  McNemarResult r = McNemarTest(5, 2, 140);
  REQUIRE(r.valid);
  CHECK(r.chi2 == Approx(1.286).margin(5e-4));
  CHECK(r.estimate == Approx(0.0214).margin(kMargin));
  CHECK(r.exact);
  CHECK(r.p_value == Approx(0.453125).epsilon(1e-12));
  CHECK(r.tango_ci95.lo < r.estimate);
  CHECK(r.tango_ci95.hi > r.estimate);
  // Cavo 2012 (Fagerland, Lydersen & Laake): b = 6, c = 16, N = 161; exact conditional P.
  r = McNemarTest(6, 16, 161);
  CHECK(r.exact);
  CHECK(r.p_value == Approx(0.052479).margin(kMargin));
  CHECK(r.chi2 == Approx(100.0 / 22.0).epsilon(1e-14));
  CHECK(r.estimate == Approx(-0.0621).margin(kMargin));
  // b + c >= 25: asymptotic p from chi-square(1).
  r = McNemarTest(20, 10, 200);
  CHECK_FALSE(r.exact);
  CHECK(r.chi2 == Approx(100.0 / 30.0).epsilon(1e-14));
  CHECK(r.p_value == Approx(0.06788915486182903).epsilon(1e-10));
  r = McNemarTest(12, 13, 200);
  CHECK_FALSE(r.exact);
  r = McNemarTest(12, 12, 200);
  CHECK(r.exact);
  // No discordant pairs.
  r = McNemarTest(0, 0, 140);
  CHECK(r.valid);
  CHECK(r.chi2 == 0.0);
  CHECK(r.p_value == 1.0);
  CHECK(r.estimate == 0.0);
  // Invalid counts.
  r = McNemarTest(100, 100, 140);
  CHECK_FALSE(r.valid);
  CHECK(std::isnan(r.p_value));
  CHECK(r.tango_ci95.lo == -1.0);
  CHECK(r.tango_ci95.hi == 1.0);
  CHECK_FALSE(McNemarTest(0, 0, 0).valid);
}

TEST_CASE("Metrics: Tango interval matches published values", "[audit]") {
  // Fagerland, Lydersen & Laake, R package contingencytables: Cavo 2012 [[59, 6], [16, 80]].
  Interval ci = TangoInterval(6, 16, 161);
  CHECK(ci.lo == Approx(-0.1240).margin(kMargin));
  CHECK(ci.hi == Approx(-0.0054).margin(kMargin));
  // Bentur 2009 [[1, 1], [7, 12]].
  ci = TangoInterval(1, 7, 21);
  CHECK(ci.lo == Approx(-0.5172).margin(kMargin));
  CHECK(ci.hi == Approx(-0.0260).margin(kMargin));
}

TEST_CASE("Metrics: Tango interval for the domain vector is plausible and symmetric", "[audit]") {
  const Interval ci = TangoInterval(5, 2, 140);
  const double estimate = 3.0 / 140.0;
  CHECK(ci.lo < estimate);
  CHECK(ci.hi > estimate);
  CHECK(ci.lo == Approx(-0.019806).margin(kMargin));
  CHECK(ci.hi == Approx(0.068771).margin(kMargin));
  // Inside the Wald interval widened by 50%.
  const double wald_se = std::sqrt(7.0 - 9.0 / 140.0) / 140.0;
  CHECK(ci.lo > estimate - 1.5 * kZ95 * wald_se);
  CHECK(ci.hi < estimate + 1.5 * kZ95 * wald_se);
  // Swapping b and c negates the interval.
  const Interval swapped = TangoInterval(2, 5, 140);
  CHECK(swapped.lo == Approx(-ci.hi).margin(1e-12));
  CHECK(swapped.hi == Approx(-ci.lo).margin(1e-12));
  // b = c = 0 reduces to ± the Wilson upper limit of 0/n.
  const Interval none = TangoInterval(0, 0, 140);
  CHECK(none.lo == Approx(-WilsonInterval(0, 140).hi).epsilon(1e-10));
  CHECK(none.hi == Approx(WilsonInterval(0, 140).hi).epsilon(1e-10));
  // All discordant one way.
  Interval all = TangoInterval(140, 0, 140);
  CHECK(all.hi == 1.0);
  CHECK(all.lo == Approx(1.0 - WilsonInterval(0, 140).hi * 2.0).margin(1e-9));
  all = TangoInterval(0, 140, 140);
  CHECK(all.lo == -1.0);
  for (auto [b, c, n] : {std::tuple{-1, 2, 10}, {6, 6, 10}, {0, 0, 0}}) {
    const Interval bad = TangoInterval(b, c, n);
    CHECK(bad.lo == -1.0);
    CHECK(bad.hi == 1.0);
  }
}

TEST_CASE("Metrics: Tango limits are where a brute-force scan of the score crosses z", "[audit]") {
  for (auto [b, c, n] : {std::tuple{5, 2, 140}, {6, 16, 161}, {0, 5, 30}, {3, 3, 50}}) {
    const Interval ci = TangoInterval(b, c, n);
    // Scan delta on a grid of step 1e-5; the accepted set {|T| <= z} must be the interval.
    double scan_lo = 2.0;
    double scan_hi = -2.0;
    double previous = std::numeric_limits<double>::infinity();
    bool monotone = true;
    for (int i = -99999; i <= 99999; ++i) {
      const double delta = i * 1e-5;
      const double t = TangoScoreStatistic(b, c, n, delta);
      if (t > previous) monotone = false;
      previous = t;
      if (std::fabs(t) <= kZ95) {
        scan_lo = std::min(scan_lo, delta);
        scan_hi = std::max(scan_hi, delta);
      }
    }
    CAPTURE(b, c, n);
    CHECK(monotone);
    CHECK(scan_lo == Approx(ci.lo).margin(1.01e-5));
    CHECK(scan_hi == Approx(ci.hi).margin(1.01e-5));
    CHECK(TangoScoreStatistic(b, c, n, ci.lo) == Approx(kZ95).margin(1e-6));
    CHECK(TangoScoreStatistic(b, c, n, ci.hi) == Approx(-kZ95).margin(1e-6));
  }
}

TEST_CASE("Metrics: Tango score uses the restricted MLE of q21", "[audit]") {
  for (auto [b, c, n, delta] : {std::tuple{5, 2, 140, 0.03},
                                {5, 2, 140, -0.2},
                                {6, 16, 161, -0.05},
                                {3, 0, 20, -0.1},
                                {0, 5, 30, 0.2}}) {
    // Maximise b·ln(q + Δ) + c·ln(q) + (n − b − c)·ln(1 − 2q − Δ) numerically.
    const double bd = b;
    const double cd = c;
    const double md = n - b - c;
    const double dd = delta;
    const auto log_lik = [bd, cd, md, dd](double q) {
      return XLogY(bd, q + dd) + XLogY(cd, q) + XLogY(md, 1.0 - 2.0 * q - dd);
    };
    const double q = ArgMax(log_lik, std::max(0.0, -delta) + 1e-14, (1.0 - delta) / 2.0 - 1e-14);
    const double expected = (b - c - n * delta) / std::sqrt(n * (2.0 * q + delta * (1.0 - delta)));
    CAPTURE(b, c, n, delta);
    CHECK(TangoScoreStatistic(b, c, n, delta) == Approx(expected).epsilon(1e-7));
  }
  CHECK(TangoScoreStatistic(0, 0, 10, 0.0) == 0.0);
  CHECK(std::isnan(TangoScoreStatistic(5, 2, 140, 1.5)));
  CHECK(std::isnan(TangoScoreStatistic(5, 2, 0, 0.1)));
}

TEST_CASE("Metrics: xoshiro256** reproduces the reference stream", "[audit]") {
  // Reference outputs for state {1, 2, 3, 4} (Blackman & Vigna's algorithm).
  Xoshiro256StarStar rng = Xoshiro256StarStar::FromState({1, 2, 3, 4});
  CHECK(rng.Next() == 11520u);
  CHECK(rng.Next() == 0u);
  CHECK(rng.Next() == 1509978240u);
  CHECK(rng.Next() == 1215971899390074240u);
  // Seeded through splitmix64 (values from an independent Python implementation).
  Xoshiro256StarStar seeded(42);
  CHECK(seeded.Next() == 1546998764402558742u);
  CHECK(seeded.Next() == 6990951692964543102u);
  CHECK(seeded.Next() == 12544586762248559009u);
  Xoshiro256StarStar draws(7);
  const std::vector<uint32_t> expected = {7, 2, 8, 9, 9, 8, 0, 1, 4, 1};
  for (uint32_t e : expected) CHECK(draws.UniformBelow(10) == e);
}

TEST_CASE("Metrics: Lemire uniform integers are in range and unbiased", "[audit]") {
  Xoshiro256StarStar rng(123);
  CHECK(rng.UniformBelow(0) == 0u);
  CHECK(rng.UniformBelow(1) == 0u);
  constexpr int kBins = 7;
  constexpr int kDraws = 70000;
  std::vector<int> counts(kBins, 0);
  int out_of_range = 0;
  for (int i = 0; i < kDraws; ++i) {
    const uint32_t v = rng.UniformBelow(kBins);
    if (v < static_cast<uint32_t>(kBins)) {
      ++counts[v];
    } else {
      ++out_of_range;
    }
  }
  CHECK(out_of_range == 0);
  double chi2 = 0.0;
  for (int count : counts) {
    const double expected = static_cast<double>(kDraws) / kBins;
    chi2 += (count - expected) * (count - expected) / expected;
  }
  CHECK(chi2 < 22.46);  // 0.999 quantile of chi-square with 6 df.
  // A range near 2^32 exercises the rejection path.
  int big_out_of_range = 0;
  for (int i = 0; i < 1000; ++i) big_out_of_range += rng.UniformBelow(3000000000u) >= 3000000000u;
  CHECK(big_out_of_range == 0);
}

TEST_CASE("Metrics: paired bootstrap is deterministic and plausible", "[audit]") {
  std::vector<uint8_t> model;
  std::vector<uint8_t> baseline;
  MakePairedFlags(3, 5, 2, 140, &model, &baseline);
  const Interval ci = PairedBootstrapInterval(model, baseline, 2000, 20240601);
  // Golden values from an independent Python implementation of the same algorithm.
  CHECK(ci.lo == Approx(-0.014285714285714285).epsilon(1e-12));
  CHECK(ci.hi == Approx(0.05714285714285714).epsilon(1e-12));
  const Interval again = PairedBootstrapInterval(model, baseline, 2000, 20240601);
  CHECK(again.lo == ci.lo);
  CHECK(again.hi == ci.hi);
  // Close to Tango's interval (within 0.015 on each side).
  const Interval tango = TangoInterval(5, 2, 140);
  CHECK(ci.lo == Approx(tango.lo).margin(0.015));
  CHECK(ci.hi == Approx(tango.hi).margin(0.015));
  const Interval other_seed = PairedBootstrapInterval(model, baseline, 2000, 7);
  CHECK(other_seed.lo <= 3.0 / 140.0);
  CHECK(other_seed.hi >= 3.0 / 140.0);
  // No discordant pairs: every replicate difference is 0.
  MakePairedFlags(10, 0, 0, 50, &model, &baseline);
  const Interval zero = PairedBootstrapInterval(model, baseline, 100, 1);
  CHECK(zero.lo == 0.0);
  CHECK(zero.hi == 0.0);
  // Invalid input.
  for (const Interval& bad :
       {PairedBootstrapInterval({}, {}, 100, 1), PairedBootstrapInterval({1, 0}, {1}, 100, 1),
        PairedBootstrapInterval({1, 0}, {0, 1}, 0, 1)}) {
    CHECK(bad.lo == -1.0);
    CHECK(bad.hi == 1.0);
  }
}

TEST_CASE("Metrics: Cohen's kappa and precision/recall match the domain vector", "[audit]") {
  const AgreementStats s = ComputeAgreement(Confusion{6, 4, 2, 88});
  CHECK(s.valid);
  CHECK(s.n == 100);
  CHECK(s.raw_agreement == Approx(0.94).margin(kMargin));
  CHECK(s.kappa == Approx(0.634).margin(5e-4));
  CHECK(s.kappa == Approx((0.94 - 0.836) / (1.0 - 0.836)).epsilon(1e-12));
  CHECK(s.precision == Approx(0.6).epsilon(1e-12));
  CHECK(s.recall == Approx(0.75).epsilon(1e-12));
  CHECK(s.f1 == Approx(2.0 / 3.0).epsilon(1e-12));
  CHECK(s.prevalence == Approx(0.08).epsilon(1e-12));
  CHECK(s.precision_defined);
  CHECK(s.recall_defined);
  CHECK(s.f1_defined);
  CHECK(s.kappa_defined);
  // Rater roles swapped: kappa and raw agreement unchanged, precision and recall swap.
  const AgreementStats t = ComputeAgreement(Confusion{6, 2, 4, 88});
  CHECK(t.kappa == Approx(s.kappa).epsilon(1e-12));
  CHECK(t.precision == Approx(s.recall).epsilon(1e-12));
}

TEST_CASE("Metrics: agreement marks 0/0 values as undefined", "[audit]") {
  // No flags and no labels: precision, recall, F1 undefined; kappa undefined (p_e = 1).
  AgreementStats s = ComputeAgreement(Confusion{0, 0, 0, 50});
  CHECK(s.valid);
  CHECK(s.raw_agreement == 1.0);
  CHECK_FALSE(s.precision_defined);
  CHECK(std::isnan(s.precision));
  CHECK_FALSE(s.recall_defined);
  CHECK_FALSE(s.f1_defined);
  CHECK_FALSE(s.kappa_defined);
  CHECK(std::isnan(s.kappa));
  // Flags but no labels: recall undefined, precision 0.
  s = ComputeAgreement(Confusion{0, 5, 0, 45});
  CHECK(s.precision_defined);
  CHECK(s.precision == 0.0);
  CHECK_FALSE(s.recall_defined);
  CHECK(s.kappa_defined);
  CHECK(s.kappa == Approx(0.0).margin(1e-12));
  // Empty table.
  s = ComputeAgreement(Confusion{});
  CHECK_FALSE(s.valid);
  CHECK(s.n == 0);
  CHECK(std::isnan(s.raw_agreement));
  CHECK_FALSE(s.kappa_defined);
  // Negative counts.
  s = ComputeAgreement(Confusion{-1, 2, 3, 4});
  CHECK_FALSE(s.valid);
  CHECK_FALSE(s.precision_defined);
  CHECK(std::isnan(s.precision));
  // Counting from flags.
  const Confusion c = CountConfusion({1, 1, 0, 0, 1}, {1, 0, 1, 0});
  CHECK(c.tp == 1);
  CHECK(c.fp == 1);
  CHECK(c.fn == 1);
  CHECK(c.tn == 1);
}

TEST_CASE("Metrics: Fleiss and Randolph kappa match the domain vector", "[audit]") {
  const MultiRaterAgreement r =
      ComputeMultiRaterAgreement({{3, 0}, {0, 3}, {1, 2}, {0, 3}, {2, 1}});
  REQUIRE(r.valid);
  CHECK(r.items == 5);
  CHECK(r.raters == 3);
  CHECK(r.categories == 2);
  CHECK(r.p_bar == Approx(0.7333).margin(kMargin));
  CHECK(r.p_e_bar == Approx(0.52).margin(kMargin));
  CHECK(r.fleiss_defined);
  CHECK(r.fleiss_kappa == Approx(0.4444).margin(kMargin));
  CHECK(r.randolph_kappa == Approx(0.4667).margin(kMargin));
}

TEST_CASE("Metrics: multi-rater agreement edge cases", "[audit]") {
  // Everyone picks one category: Fleiss undefined, Randolph 1.
  MultiRaterAgreement r = ComputeMultiRaterAgreement({{0, 3}, {0, 3}});
  CHECK(r.valid);
  CHECK_FALSE(r.fleiss_defined);
  CHECK(std::isnan(r.fleiss_kappa));
  CHECK(r.randolph_kappa == Approx(1.0).epsilon(1e-12));
  // Invalid: no items, ragged rows, unequal raters, one rater, one category, negative count.
  for (const auto& bad : std::vector<std::vector<std::vector<int>>>{{},
                                                                    {{3, 0}, {1, 1, 1}},
                                                                    {{3, 0}, {1, 1}},
                                                                    {{1, 0}, {0, 1}},
                                                                    {{3}, {3}},
                                                                    {{4, -1}, {3, 0}}}) {
    r = ComputeMultiRaterAgreement(bad);
    CHECK_FALSE(r.valid);
    CHECK(std::isnan(r.randolph_kappa));
    CHECK(std::isnan(r.fleiss_kappa));
  }
}

}  // namespace
}  // namespace medaudit::audit
