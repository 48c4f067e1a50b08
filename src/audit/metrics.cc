#include "audit/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>

namespace medaudit::audit {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

constexpr Interval kUnitInterval{0.0, 1.0};
constexpr Interval kDifferenceInterval{-1.0, 1.0};

// ln B(a, b).
double LogBeta(double a, double b) { return LogGamma(a) + LogGamma(b) - LogGamma(a + b); }

// Continued fraction for I_x(a, b) (Numerical Recipes betacf), modified Lentz evaluation.
double BetaContinuedFraction(double a, double b, double x) {
  constexpr int kMaxIterations = 200000;
  constexpr double kEpsilon = 1e-15;
  constexpr double kTiny = 1e-300;
  const double qab = a + b;
  const double qap = a + 1.0;
  const double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEpsilon) break;
  }
  return h;
}

// Density of Beta(a, b) at x in (0, 1).
double BetaDensity(double x, double a, double b, double log_beta) {
  return std::exp((a - 1.0) * std::log(x) + (b - 1.0) * std::log1p(-x) - log_beta);
}

// Stable larger root of 2n·q² + B·q + C = 0 (Tango's restricted MLE of q21).
double TangoRestrictedQ21(double b, double c, double n, double delta) {
  const double qa = 2.0 * n;
  const double qb = -b - c + (2.0 * n - b + c) * delta;
  const double qc = -c * delta * (1.0 - delta);
  const double root_disc = std::sqrt(std::max(0.0, qb * qb - 4.0 * qa * qc));
  double q = 0.0;
  if (qb <= 0.0) {
    q = (root_disc - qb) / (2.0 * qa);
  } else {
    const double denom = qb + root_disc;
    q = denom > 0.0 ? -2.0 * qc / denom : 0.0;
  }
  return std::max(0.0, q);
}

// Root of a decreasing function f on [lo, hi] with f(lo) >= 0 >= f(hi), by bisection.
template <typename F>
double BisectDecreasing(F f, double lo, double hi) {
  for (int i = 0; i < 200 && hi - lo > 1e-14; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (f(mid) > 0.0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

uint64_t SplitMix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// Linear-interpolation percentile (R type 7) of sorted, non-empty values.
double SortedPercentile(const std::vector<double>& sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * q;
  const auto below = static_cast<std::size_t>(std::floor(h));
  if (below + 1 >= sorted.size()) return sorted.back();
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[below + 1] - sorted[below]);
}

double Ratio(int64_t num, int64_t den) {
  return den > 0 ? static_cast<double>(num) / static_cast<double>(den) : kNaN;
}

}  // namespace

Proportion MakeProportion(int64_t k, int64_t n) {
  Proportion p;
  p.k = k;
  p.n = n;
  p.valid = IsValidCount(k, n);
  p.rate = p.valid ? static_cast<double>(k) / static_cast<double>(n) : kNaN;
  return p;
}

bool IsValidCount(int64_t x, int64_t n) { return n > 0 && x >= 0 && x <= n; }

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double NormalQuantile(double p) {
  if (std::isnan(p) || p < 0.0 || p > 1.0) return kNaN;
  if (p == 0.0) return -kInf;
  if (p == 1.0) return kInf;
  // Work in the lower tail, where p and Φ(x) − p keep full relative precision; 1 − p is exact
  // for p in [0.5, 1].
  if (p > 0.5) return -NormalQuantile(1.0 - p);
  static constexpr double kA[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                  -2.759285104469687e+02, 1.383577518672690e+02,
                                  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double kB[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                  -1.556989798598866e+02, 6.680131188771972e+01,
                                  -1.328068155288572e+01};
  static constexpr double kC[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                  -2.400758277161838e+00, -2.549732539343734e+00,
                                  4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double kD[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                  2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLowTail = 0.02425;
  double x = 0.0;
  if (p < kLowTail) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((kC[0] * q + kC[1]) * q + kC[2]) * q + kC[3]) * q + kC[4]) * q + kC[5]) /
        ((((kD[0] * q + kD[1]) * q + kD[2]) * q + kD[3]) * q + 1.0);
  } else {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((kA[0] * r + kA[1]) * r + kA[2]) * r + kA[3]) * r + kA[4]) * r + kA[5]) * q /
        (((((kB[0] * r + kB[1]) * r + kB[2]) * r + kB[3]) * r + kB[4]) * r + 1.0);
  }
  // One Halley step on Φ(x) − p.
  const double e = NormalCdf(x) - p;
  const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
  if (std::isfinite(u)) x -= u / (1.0 + 0.5 * x * u);
  return x;
}

double ChiSquare1Survival(double x) {
  if (std::isnan(x)) return kNaN;
  if (x <= 0.0) return 1.0;
  return std::erfc(std::sqrt(0.5 * x));
}

double LogGamma(double x) {
  if (std::isnan(x) || x <= 0.0) return kNaN;
  if (std::isinf(x)) return kInf;
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
    return std::log(std::numbers::pi / std::sin(std::numbers::pi * x)) - LogGamma(1.0 - x);
  }
  static constexpr double kLanczos[] = {
      0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
      771.32342877765313,   -176.61502916214059,   12.507343278686905,
      -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
  constexpr double kG = 7.0;
  const double xm1 = x - 1.0;
  double sum = kLanczos[0];
  for (int i = 1; i < 9; ++i) sum += kLanczos[i] / (xm1 + i);
  const double t = xm1 + kG + 0.5;
  return 0.5 * std::log(2.0 * std::numbers::pi) + (xm1 + 0.5) * std::log(t) - t + std::log(sum);
}

double RegularizedIncompleteBeta(double a, double b, double x) {
  if (std::isnan(a) || std::isnan(b) || std::isnan(x) || a <= 0.0 || b <= 0.0) return kNaN;
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front = a * std::log(x) + b * std::log1p(-x) - LogBeta(a, b);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1.0 - front * BetaContinuedFraction(b, a, 1.0 - x) / b;
}

double BetaQuantile(double p, double a, double b) {
  if (std::isnan(p) || std::isnan(a) || std::isnan(b) || a <= 0.0 || b <= 0.0) return kNaN;
  if (p <= 0.0) return 0.0;
  if (p >= 1.0) return 1.0;
  const double log_beta = LogBeta(a, b);
  double lo = 0.0;
  double hi = 1.0;
  double x = a / (a + b);
  for (int i = 0; i < 1000; ++i) {
    const double f = RegularizedIncompleteBeta(a, b, x) - p;
    if (f == 0.0) return x;
    if (f < 0.0) {
      lo = x;
    } else {
      hi = x;
    }
    if (hi - lo <= 4.0 * std::numeric_limits<double>::epsilon() * hi) break;
    const double density = BetaDensity(x, a, b, log_beta);
    double next = x - f / density;
    // Every fifth step bisects, so the bracket keeps shrinking even when Newton crawls.
    if (!(next > lo && next < hi) || i % 5 == 4) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= 2.0 * std::numeric_limits<double>::epsilon() * x) {
      x = next;
      break;
    }
    x = next;
  }
  return x;
}

double BinomialTestTwoSided(int64_t k, int64_t n, double p) {
  if (std::isnan(p) || p < 0.0 || p > 1.0 || n < 0 || k < 0 || k > n) return kNaN;
  if (n == 0) return 1.0;
  if (p == 0.0) return k == 0 ? 1.0 : 0.0;
  if (p == 1.0) return k == n ? 1.0 : 0.0;
  // log pmf by the recurrence pmf(i + 1) = pmf(i) · (n − i)/(i + 1) · p/(1 − p).
  const auto size = static_cast<std::size_t>(n);
  std::vector<double> log_pmf(size + 1);
  const double log_odds = std::log(p) - std::log1p(-p);
  const double nd = static_cast<double>(n);
  log_pmf[0] = nd * std::log1p(-p);
  for (std::size_t i = 0; i < size; ++i) {
    const double id = static_cast<double>(i);
    log_pmf[i + 1] = log_pmf[i] + std::log((nd - id) / (id + 1.0)) + log_odds;
  }
  constexpr double kRelativeTolerance = 1.0 + 1e-7;
  const double threshold = log_pmf[static_cast<std::size_t>(k)] + std::log(kRelativeTolerance);
  double total = 0.0;
  for (double lp : log_pmf) {
    if (lp <= threshold) total += std::exp(lp);
  }
  return std::min(1.0, total);
}

Interval WilsonInterval(int64_t x, int64_t n, double z) {
  if (!IsValidCount(x, n) || !(z > 0.0) || !std::isfinite(z)) return kUnitInterval;
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(x) / nn;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / nn;
  const double centre = (p + z2 / (2.0 * nn)) / denom;
  const double half = z / denom * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
  Interval ci{std::clamp(centre - half, 0.0, 1.0), std::clamp(centre + half, 0.0, 1.0)};
  if (x == 0) ci.lo = 0.0;
  if (x == n) ci.hi = 1.0;
  return ci;
}

Interval ClopperPearsonInterval(int64_t x, int64_t n, double alpha) {
  if (!IsValidCount(x, n) || !(alpha > 0.0 && alpha < 1.0)) return kUnitInterval;
  const double xd = static_cast<double>(x);
  const double nd = static_cast<double>(n);
  Interval ci;
  ci.lo = x == 0 ? 0.0 : BetaQuantile(alpha / 2.0, xd, nd - xd + 1.0);
  ci.hi = x == n ? 1.0 : BetaQuantile(1.0 - alpha / 2.0, xd + 1.0, nd - xd);
  return ci;
}

Interval NewcombeHybridInterval(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z) {
  if (!IsValidCount(x1, n1) || !IsValidCount(x2, n2) || !(z > 0.0) || !std::isfinite(z)) {
    return kDifferenceInterval;
  }
  const double p1 = static_cast<double>(x1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(x2) / static_cast<double>(n2);
  const Interval w1 = WilsonInterval(x1, n1, z);
  const Interval w2 = WilsonInterval(x2, n2, z);
  const double d = p1 - p2;
  const double lo = d - std::hypot(p1 - w1.lo, w2.hi - p2);
  const double hi = d + std::hypot(w1.hi - p1, p2 - w2.lo);
  return {std::clamp(lo, -1.0, 1.0), std::clamp(hi, -1.0, 1.0)};
}

FarringtonManningResult FarringtonManningTest(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
                                              double margin) {
  FarringtonManningResult r;
  if (!IsValidCount(x1, n1) || !IsValidCount(x2, n2) || !(std::fabs(margin) < 1.0)) {
    r.z = r.p_one_sided = r.p1_tilde = r.p2_tilde = kNaN;
    return r;
  }
  const double nd1 = static_cast<double>(n1);
  const double nd2 = static_cast<double>(n2);
  const double p1 = static_cast<double>(x1) / nd1;
  const double p2 = static_cast<double>(x2) / nd2;
  const double delta = margin;
  // Closed-form root of the likelihood cubic (domain.md §6.5), θ = n2/n1.
  const double theta = nd2 / nd1;
  const double ca = 1.0 + theta;
  const double cb = -(1.0 + theta + p1 + theta * p2 + delta * (theta + 2.0));
  const double cc = delta * delta + delta * (2.0 * p1 + theta + 1.0) + p1 + theta * p2;
  const double cd = -p1 * delta * (1.0 + delta);
  const double v =
      cb * cb * cb / (27.0 * ca * ca * ca) - cb * cc / (6.0 * ca * ca) + cd / (2.0 * ca);
  const double u_abs = std::sqrt(std::max(0.0, cb * cb / (9.0 * ca * ca) - cc / (3.0 * ca)));
  const double u = std::copysign(u_abs, v);
  const double cos_arg = u != 0.0 ? std::clamp(v / (u * u * u), -1.0, 1.0) : 1.0;
  const double w = (std::numbers::pi + std::acos(cos_arg)) / 3.0;
  double t1 = 2.0 * u * std::cos(w) - cb / (3.0 * ca);
  // Parameter space under the constraint: p1 in [max(0, Δ), min(1, 1 + Δ)].
  t1 = std::clamp(t1, std::max(0.0, delta), std::min(1.0, 1.0 + delta));
  const double t2 = std::clamp(t1 - delta, 0.0, 1.0);
  r.p1_tilde = t1;
  r.p2_tilde = t2;
  const double variance = std::max(0.0, t1 * (1.0 - t1) / nd1 + t2 * (1.0 - t2) / nd2);
  const double numerator = p1 - p2 - delta;
  if (variance > 0.0) {
    r.z = numerator / std::sqrt(variance);
  } else {
    r.z = numerator == 0.0 ? 0.0 : std::copysign(kInf, numerator);
  }
  r.p_one_sided = NormalCdf(r.z);
  r.valid = true;
  return r;
}

NonInferiorityResult NonInferiorityIndependent(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
                                               double margin, double z) {
  NonInferiorityResult r;
  r.margin = margin;
  if (!IsValidCount(x1, n1) || !IsValidCount(x2, n2) || std::isnan(margin) || !(z > 0.0) ||
      !std::isfinite(z)) {
    return r;
  }
  r.ci = NewcombeHybridInterval(x1, n1, x2, n2, z);
  r.valid = true;
  r.non_inferior = r.ci.hi < margin;
  return r;
}

NonInferiorityResult NonInferiorityPaired(int64_t b, int64_t c, int64_t n, double margin,
                                          double z) {
  NonInferiorityResult r;
  r.margin = margin;
  if (n <= 0 || b < 0 || c < 0 || b + c > n || std::isnan(margin) || !(z > 0.0) ||
      !std::isfinite(z)) {
    return r;
  }
  r.ci = TangoInterval(b, c, n, z);
  r.valid = true;
  r.non_inferior = r.ci.hi < margin;
  return r;
}

int64_t NonInferioritySampleSizePerArm(double p1, double p2, double margin, double alpha_one_sided,
                                       double power) {
  const auto in_unit = [](double v) { return v >= 0.0 && v <= 1.0; };
  if (!in_unit(p1) || !in_unit(p2) || !(alpha_one_sided > 0.0 && alpha_one_sided < 1.0) ||
      !(power > 0.0 && power < 1.0)) {
    return -1;
  }
  const double gap = margin - (p1 - p2);
  if (!(gap > 0.0)) return -1;
  const double zs = NormalQuantile(1.0 - alpha_one_sided) + NormalQuantile(power);
  const double n = zs * zs * (p1 * (1.0 - p1) + p2 * (1.0 - p2)) / (gap * gap);
  if (!(n < 4e18)) return -1;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(n)));
}

int64_t SingleRateSampleSize(double p, double half_width, double z) {
  if (!(p >= 0.0 && p <= 1.0) || !(half_width > 0.0) || !(z > 0.0) || !std::isfinite(z)) {
    return -1;
  }
  const double n = z * z * p * (1.0 - p) / (half_width * half_width);
  if (!(n < 4e18)) return -1;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(n)));
}

PairedCounts CountPairs(const std::vector<uint8_t>& model_harmful,
                        const std::vector<uint8_t>& baseline_harmful) {
  PairedCounts counts;
  if (model_harmful.size() != baseline_harmful.size()) return counts;
  for (std::size_t i = 0; i < model_harmful.size(); ++i) {
    const bool m = model_harmful[i] != 0;
    const bool r = baseline_harmful[i] != 0;
    if (m && r) {
      ++counts.both;
    } else if (m) {
      ++counts.b;
    } else if (r) {
      ++counts.c;
    } else {
      ++counts.neither;
    }
  }
  counts.n = static_cast<int64_t>(model_harmful.size());
  counts.valid = true;
  return counts;
}

double TangoScoreStatistic(int64_t b, int64_t c, int64_t n, double delta) {
  if (n <= 0 || b < 0 || c < 0 || b + c > n || !(delta >= -1.0 && delta <= 1.0)) return kNaN;
  const double bd = static_cast<double>(b);
  const double cd = static_cast<double>(c);
  const double nd = static_cast<double>(n);
  const double q21 = TangoRestrictedQ21(bd, cd, nd, delta);
  const double variance = nd * (2.0 * q21 + delta * (1.0 - delta));
  const double numerator = bd - cd - nd * delta;
  if (variance > 0.0) return numerator / std::sqrt(variance);
  return numerator == 0.0 ? 0.0 : std::copysign(kInf, numerator);
}

Interval TangoInterval(int64_t b, int64_t c, int64_t n, double z) {
  if (n <= 0 || b < 0 || c < 0 || b + c > n || !(z > 0.0) || !std::isfinite(z)) {
    return kDifferenceInterval;
  }
  const double estimate = static_cast<double>(b - c) / static_cast<double>(n);
  Interval ci{-1.0, 1.0};
  if (c < n) {
    ci.lo = BisectDecreasing([&](double delta) { return TangoScoreStatistic(b, c, n, delta) - z; },
                             -1.0, estimate);
  }
  if (b < n) {
    ci.hi = BisectDecreasing([&](double delta) { return TangoScoreStatistic(b, c, n, delta) + z; },
                             estimate, 1.0);
  }
  ci.lo = std::min(ci.lo, estimate);
  ci.hi = std::max(ci.hi, estimate);
  return ci;
}

McNemarResult McNemarTest(int64_t b, int64_t c, int64_t n) {
  McNemarResult r;
  r.b = b;
  r.c = c;
  r.n = n;
  if (n <= 0 || b < 0 || c < 0 || b + c > n) {
    r.chi2 = r.p_value = r.estimate = kNaN;
    return r;
  }
  const int64_t discordant = b + c;
  const double diff = static_cast<double>(b - c);
  r.chi2 = discordant > 0 ? diff * diff / static_cast<double>(discordant) : 0.0;
  r.exact = discordant < kMcNemarExactBelow;
  r.p_value = r.exact ? BinomialTestTwoSided(b, discordant, 0.5) : ChiSquare1Survival(r.chi2);
  r.estimate = diff / static_cast<double>(n);
  r.tango_ci95 = TangoInterval(b, c, n, kZ95);
  r.valid = true;
  return r;
}

Xoshiro256StarStar::Xoshiro256StarStar(uint64_t seed) {
  for (uint64_t& word : s_) word = SplitMix64(seed);
}

Xoshiro256StarStar Xoshiro256StarStar::FromState(const std::array<uint64_t, 4>& state) {
  if (state == std::array<uint64_t, 4>{}) return Xoshiro256StarStar(0);
  Xoshiro256StarStar rng;
  rng.s_ = state;
  return rng;
}

uint64_t Xoshiro256StarStar::Next() {
  const uint64_t result = RotateLeft(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = RotateLeft(s_[3], 45);
  return result;
}

uint32_t Xoshiro256StarStar::UniformBelow(uint32_t range) {
  if (range == 0) return 0;
  uint64_t m = (Next() >> 32) * static_cast<uint64_t>(range);
  auto low = static_cast<uint32_t>(m);
  if (low < range) {
    const uint32_t threshold = (0u - range) % range;
    while (low < threshold) {
      m = (Next() >> 32) * static_cast<uint64_t>(range);
      low = static_cast<uint32_t>(m);
    }
  }
  return static_cast<uint32_t>(m >> 32);
}

Interval PairedBootstrapInterval(const std::vector<uint8_t>& model_harmful,
                                 const std::vector<uint8_t>& baseline_harmful, int replicates,
                                 uint64_t seed) {
  const std::size_t n = model_harmful.size();
  if (n == 0 || n != baseline_harmful.size() || n > std::numeric_limits<uint32_t>::max() ||
      replicates < 1) {
    return kDifferenceInterval;
  }
  std::vector<int8_t> diff(n);
  for (std::size_t i = 0; i < n; ++i) {
    diff[i] =
        static_cast<int8_t>((model_harmful[i] != 0 ? 1 : 0) - (baseline_harmful[i] != 0 ? 1 : 0));
  }
  Xoshiro256StarStar rng(seed);
  const auto range = static_cast<uint32_t>(n);
  std::vector<double> stats(static_cast<std::size_t>(replicates));
  for (double& stat : stats) {
    int64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += diff[rng.UniformBelow(range)];
    stat = static_cast<double>(sum) / static_cast<double>(n);
  }
  std::sort(stats.begin(), stats.end());
  return {SortedPercentile(stats, 0.025), SortedPercentile(stats, 0.975)};
}

Confusion CountConfusion(const std::vector<uint8_t>& flags, const std::vector<uint8_t>& labels) {
  Confusion t;
  const std::size_t n = std::min(flags.size(), labels.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool flag = flags[i] != 0;
    const bool label = labels[i] != 0;
    if (flag && label) {
      ++t.tp;
    } else if (flag) {
      ++t.fp;
    } else if (label) {
      ++t.fn;
    } else {
      ++t.tn;
    }
  }
  return t;
}

AgreementStats ComputeAgreement(const Confusion& t) {
  AgreementStats s;
  s.precision = s.recall = s.f1 = s.kappa = s.raw_agreement = s.prevalence = kNaN;
  if (t.tp < 0 || t.fp < 0 || t.fn < 0 || t.tn < 0) return s;
  s.n = t.tp + t.fp + t.fn + t.tn;
  s.precision = Ratio(t.tp, t.tp + t.fp);
  s.recall = Ratio(t.tp, t.tp + t.fn);
  s.f1 = Ratio(2 * t.tp, 2 * t.tp + t.fp + t.fn);
  s.precision_defined = !std::isnan(s.precision);
  s.recall_defined = !std::isnan(s.recall);
  s.f1_defined = !std::isnan(s.f1);
  if (s.n == 0) return s;
  s.valid = true;
  const double n = static_cast<double>(s.n);
  s.raw_agreement = static_cast<double>(t.tp + t.tn) / n;
  s.prevalence = static_cast<double>(t.tp + t.fn) / n;
  const double rater1_yes = static_cast<double>(t.tp + t.fp) / n;
  const double rater2_yes = s.prevalence;
  const double p_e = rater1_yes * rater2_yes + (1.0 - rater1_yes) * (1.0 - rater2_yes);
  if (p_e < 1.0) {
    s.kappa = (s.raw_agreement - p_e) / (1.0 - p_e);
    s.kappa_defined = true;
  }
  return s;
}

MultiRaterAgreement ComputeMultiRaterAgreement(const std::vector<std::vector<int>>& counts) {
  MultiRaterAgreement r;
  r.p_bar = r.p_e_bar = r.fleiss_kappa = r.randolph_kappa = kNaN;
  if (counts.empty() || counts.front().size() < 2) return r;
  const std::size_t k = counts.front().size();
  int64_t m = 0;
  for (int v : counts.front()) m += v;
  if (m < 2) return r;
  std::vector<int64_t> column_totals(k, 0);
  double sum_p_i = 0.0;
  const double md = static_cast<double>(m);
  for (const std::vector<int>& row : counts) {
    if (row.size() != k) return r;
    int64_t row_total = 0;
    int64_t sum_squares = 0;
    for (std::size_t j = 0; j < k; ++j) {
      if (row[j] < 0) return r;
      row_total += row[j];
      sum_squares += static_cast<int64_t>(row[j]) * row[j];
      column_totals[j] += row[j];
    }
    if (row_total != m) return r;
    sum_p_i += static_cast<double>(sum_squares - m) / (md * (md - 1.0));
  }
  const double items = static_cast<double>(counts.size());
  r.items = static_cast<int64_t>(counts.size());
  r.raters = m;
  r.categories = static_cast<int64_t>(k);
  r.p_bar = sum_p_i / items;
  double p_e = 0.0;
  for (int64_t total : column_totals) {
    const double share = static_cast<double>(total) / (items * md);
    p_e += share * share;
  }
  r.p_e_bar = p_e;
  if (p_e < 1.0) {
    r.fleiss_kappa = (r.p_bar - p_e) / (1.0 - p_e);
    r.fleiss_defined = true;
  }
  const double chance = 1.0 / static_cast<double>(k);
  r.randolph_kappa = (r.p_bar - chance) / (1.0 - chance);
  r.valid = true;
  return r;
}

}  // namespace medaudit::audit
