#include "knowledge/fuzzy.h"

#include <algorithm>
#include <atomic>
#include <filesystem>

#include "base/file.h"
#include "base/json.h"
#include "base/sha256.h"
#include "base/utf8.h"
#include "knowledge/lexicon.h"

namespace medaudit::knowledge {
namespace {

constexpr size_t kMaxPinyinWindow = 8;  // syllables; longer Chinese names are not indexed
constexpr size_t kMinExactLatin = 5;    // shorter Latin names are left to the literal scan
constexpr size_t kMinFuzzy = 6;         // letters before one edit is allowed
constexpr size_t kMinFuzzy2 = 9;        // letters before two edits are allowed
constexpr size_t kMinJoinedFuzzy = 8;   // letters of two joined fragments before one edit

bool IsAsciiLetter(char32_t c) { return c >= 'a' && c <= 'z'; }
bool IsLeet(char32_t c) {
  return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7' || c == '@' ||
         c == '$';
}
bool IsArabicLetter(char32_t c) { return c >= 0x0621 && c <= 0x064A; }
bool IsHan(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }
bool IsJoiner(char32_t c) { return c == ' ' || c == '-' || c == '*' || c == '.' || c == '_'; }

// Edits allowed between two words of these lengths (see the header).
int AllowedDistance(size_t a, size_t b, bool two_edits) {
  const size_t shorter = std::min(a, b);
  if (two_edits && shorter >= kMinFuzzy2) return 2;
  return shorter >= kMinFuzzy ? 1 : 0;
}

// Polynomial hash of a word, so that the hash of the word with one or two letters deleted can be
// computed from prefix sums without building the shorter string (see DeleteHashes).
constexpr uint64_t kBase = 0x100000001B3ULL;

uint64_t Finish(uint64_t h, size_t length) {  // spreads the bits for the hash table
  h ^= length * 0x9E3779B97F4A7C15ULL;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  return h;
}

uint64_t Hash(std::u32string_view s) {
  uint64_t h = 0;
  for (char32_t c : s) h = h * kBase + c;
  return Finish(h, s.size());
}

std::u32string Decode(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    size_t length = 1;
    const char32_t cp = utf8::Decode(utf8, i, &length);
    out.push_back(cp);
    i += length;
  }
  return out;
}

// Optimal string alignment distance (Levenshtein plus adjacent transposition), or bound + 1 when
// it exceeds `bound`. Words here are short (< 64 letters), so the full table is cheap.
int BoundedDistance(std::u32string_view a, std::u32string_view b, int bound) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > bound) return bound + 1;
  if (n > 63 || m > 63) return bound + 1;
  int d[64][64];
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = bound + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, d[i - 2][j - 2] + 1);
      }
      d[i][j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > bound) return bound + 1;
  }
  return std::min(d[n][m], bound + 1);
}

// Hashes of every string reachable from `s` by deleting up to `depth` (<= 2) letters, s itself
// included, deduplicated; each is Hash() of that string, computed in O(1) from prefix hashes.
void DeleteHashes(std::u32string_view s, int depth, std::vector<uint64_t>* out) {
  const size_t n = s.size();
  thread_local std::vector<uint64_t> prefix, power;
  prefix.assign(n + 1, 0);
  power.assign(n + 1, 1);
  for (size_t k = 0; k < n; ++k) {
    prefix[k + 1] = prefix[k] * kBase + s[k];
    power[k + 1] = power[k] * kBase;
  }
  // Hash (unfinished) of s[a, b).
  auto range = [&](size_t a, size_t b) { return prefix[b] - prefix[a] * power[b - a]; };
  out->clear();
  out->push_back(Finish(prefix[n], n));
  for (size_t i = 0; i < n && depth >= 1; ++i) {
    out->push_back(Finish(prefix[i] * power[n - 1 - i] + range(i + 1, n), n - 1));
    if (depth < 2) continue;
    for (size_t j = i + 1; j < n; ++j) {
      const uint64_t h =
          (prefix[i] * power[j - i - 1] + range(i + 1, j)) * power[n - 1 - j] + range(j + 1, n);
      out->push_back(Finish(h, n - 2));
    }
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

char32_t LeetLetter(char32_t c, bool one_is_l) {
  switch (c) {
    case '0':
      return 'o';
    case '1':
      return one_is_l ? 'l' : 'i';
    case '3':
      return 'e';
    case '4':
    case '@':
      return 'a';
    case '5':
    case '$':
      return 's';
    case '7':
      return 't';
    default:
      return c;
  }
}

// How a Latin word sounds, for names spelled by ear (see the header): p/b, v/f, ph/f; c by the
// letter after it (k before a, o, u and consonants, s before e, i, y), q/k, z/s; e, i, y as i and
// o as u; h after the first letter dropped (ph, th, ch, rh); doubled letters once.
std::u32string SoundKey(std::u32string_view word) {
  std::u32string out;
  out.reserve(word.size());
  for (size_t i = 0; i < word.size(); ++i) {
    char32_t c = word[i];
    const char32_t next = i + 1 < word.size() ? word[i + 1] : 0;
    switch (c) {
      case 'p':
        c = next == 'h' ? 'f' : 'b';
        break;
      case 'v':
        c = 'f';
        break;
      case 'c':
        c = next == 'h' ? 'k' : (next == 'e' || next == 'i' || next == 'y') ? 's' : 'k';
        break;
      case 'q':
        c = 'k';
        break;
      case 'z':
        c = 's';
        break;
      case 'e':
      case 'y':
        c = 'i';
        break;
      case 'o':
        c = 'u';
        break;
      case 'h':
        if (i > 0) continue;
        break;
      default:
        break;
    }
    if (!out.empty() && out.back() == c) continue;
    out.push_back(c);
  }
  return out;
}

// An Arabic word without the long vowels written or left out at will after its first letter,
// with the letters that write one foreign sound merged (see the header).
std::u32string ArabicSkeleton(std::u32string_view word) {
  std::u32string out;
  out.reserve(word.size());
  for (size_t i = 0; i < word.size(); ++i) {
    char32_t c = word[i];
    if (i > 0 && (c == U'\u0627' || c == U'\u0648' || c == U'\u064A' || c == U'\u0649' ||
                  c == U'\u0621' || c == U'\u0624' || c == U'\u0626')) {
      continue;
    }
    switch (c) {
      case U'\u063A':   // غ
      case U'\u0642':   // ق
        c = U'\u062C';  // ج
        break;
      case U'\u0637':   // ط
      case U'\u062B':   // ث
        c = U'\u062A';  // ت
        break;
      case U'\u0635':   // ص
        c = U'\u0633';  // س
        break;
      case U'\u0630':   // ذ
      case U'\u0638':   // ظ
        c = U'\u0632';  // ز
        break;
      default:
        break;
    }
    if (!out.empty() && out.back() == c) continue;
    out.push_back(c);
  }
  return out;
}

// A toneless pinyin syllable with the merges of Chinese input methods' fuzzy pinyin: zh/z, ch/c,
// sh/s, n/l initials and an/ang, en/eng, in/ing finals.
std::string FuzzySyllable(std::string_view syllable) {
  std::string out(syllable);
  if (out.size() > 2 && out[1] == 'h' && (out[0] == 'z' || out[0] == 'c' || out[0] == 's')) {
    out.erase(1, 1);
  }
  if (out.size() > 1 && out[0] == 'n' && out[1] != 'g') out[0] = 'l';
  const size_t n = out.size();
  if (n >= 3 && out[n - 1] == 'g' && out[n - 2] == 'n' &&
      (out[n - 3] == 'a' || out[n - 3] == 'e' || out[n - 3] == 'i')) {
    out.pop_back();
  }
  return out;
}

// Edit distance between two Arabic words of the same skeleton, the merged letter pairs counting
// as equal (so only vowel letters differ), or bound + 1 when above `bound`.
int ArabicVowelDistance(std::u32string_view a, std::u32string_view b, int bound) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > bound || n > 63 || m > 63) return bound + 1;
  auto merged = [](char32_t c) { return ArabicSkeleton(std::u32string_view(&c, 1)).front(); };
  int d[64][64];
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    for (int j = 1; j <= m; ++j) {
      const int cost = merged(a[i - 1]) == merged(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
    }
  }
  return std::min(d[n][m], bound + 1);
}

constexpr size_t kMinSkeletonTwo = 10;  // letters of an Arabic name before two vowel edits
constexpr size_t kMinSound = 5;         // letters of a sound key before it is matched at all
constexpr size_t kMinSkeleton = 4;      // letters of an Arabic skeleton before it is matched

Error DataError(const std::string& file, std::string message) {
  Error error = MakeError(ErrorCode::kPackError, std::move(message));
  error.file = file;
  return error;
}

}  // namespace

// One unit of a searched text: a Latin word (letters, digits, @, $), an Arabic word or one
// Chinese character.
struct FuzzyIndex::Piece {
  enum Kind : uint8_t { kLatin, kArabic, kHan } kind;
  uint32_t begin, end;  // bytes in the searched text
  int32_t syllable;     // kHan: index into syllables_, or -1
  bool joined;          // follows the previous piece directly or across one joiner character
  bool taken;           // overlaps a token already found
  bool letters_only;    // kLatin without digits or symbols
  bool hit = false;
};

void FuzzyIndex::HashMulti::Seal() {
  size_t size = 1024;
  while (size < pending_.size() * 2) size *= 2;  // load factor <= 1/2
  slots_.assign(size, Slot{});
  for (const Slot& entry : pending_) {
    size_t at = entry.hash & (size - 1);
    while (slots_[at].key != kEmpty) at = (at + 1) & (size - 1);
    slots_[at] = entry;
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

template <class F>
void FuzzyIndex::HashMulti::ForEach(uint64_t hash, F&& f) const {
  if (slots_.empty()) return;
  for (size_t at = hash & (slots_.size() - 1); slots_[at].key != kEmpty;
       at = (at + 1) & (slots_.size() - 1)) {
    if (slots_[at].hash == hash) f(slots_[at].key);
  }
}

namespace {

// Reads an optional data file of the fuzzy lookup into *doc and adds its hash to *fingerprint.
// Returns false when the file does not exist.
Result<bool> ReadDataFile(const std::string& path, std::string_view name, Sha256* fingerprint,
                          rapidjson::Document* doc) {
  if (!std::filesystem::exists(path)) return false;
  auto text = ReadFile(path, size_t{8} << 20);
  if (!text) return text.error();
  fingerprint->Update(std::string(name) + "\n" + Sha256Hex(*text) + "\n");
  if (auto parsed = json::Parse(*text, path, doc); !parsed) return parsed.error();
  return true;
}

}  // namespace

Result<FuzzyData> LoadFuzzyData(const std::string& dir) {
  FuzzyData data;
  Sha256 fingerprint;
  const std::string base = dir.empty() ? std::string(".") : dir;
  const std::string pinyin_path = base + "/pinyin.json";
  rapidjson::Document pinyin;
  auto has_pinyin = ReadDataFile(pinyin_path, "pinyin.json", &fingerprint, &pinyin);
  if (!has_pinyin) return has_pinyin.error();
  if (*has_pinyin) {
    auto it = pinyin.IsObject() ? pinyin.FindMember("syllables") : pinyin.MemberEnd();
    if (!pinyin.IsObject() || it == pinyin.MemberEnd() || !it->value.IsObject()) {
      return DataError(pinyin_path, "expected an object with an object 'syllables'");
    }
    for (auto& m : it->value.GetObject()) {
      if (!m.value.IsString())
        return DataError(pinyin_path, "syllable characters must be a string");
      data.pinyin.emplace_back(m.name.GetString(), json::View(m.value));
    }
  }
  const std::string words_path = base + "/common_words.json";
  rapidjson::Document words;
  auto has_words = ReadDataFile(words_path, "common_words.json", &fingerprint, &words);
  if (!has_words) return has_words.error();
  if (*has_words) {
    auto it = words.IsObject() ? words.FindMember("words") : words.MemberEnd();
    if (!words.IsObject() || it == words.MemberEnd() || !it->value.IsArray()) {
      return DataError(words_path, "expected an object with an array 'words'");
    }
    for (const auto& word : it->value.GetArray()) {
      if (!word.IsString()) return DataError(words_path, "words must be strings");
      data.common_words.emplace_back(json::View(word));
    }
    // Arabic words (normalized) share the set: Latin and Arabic keys cannot collide.
    if (auto ar = words.FindMember("ar_words"); ar != words.MemberEnd()) {
      if (!ar->value.IsArray()) return DataError(words_path, "'ar_words' must be an array");
      for (const auto& word : ar->value.GetArray()) {
        if (!word.IsString()) return DataError(words_path, "words must be strings");
        data.common_words.emplace_back(json::View(word));
      }
    }
  }
  if (*has_pinyin || *has_words) data.fingerprint = fingerprint.FinishHex();
  return data;
}

void FuzzyIndex::AddKey(Table table, std::u32string text, uint32_t drug, bool with_deletes) {
  const auto key = static_cast<uint32_t>(keys_.size());
  exact_[table].Add(Hash(text), key);
  if (with_deletes) {
    thread_local std::vector<uint64_t> hashes;
    const int depth = AllowedDistance(text.size(), text.size(), table == kLatin);
    DeleteHashes(text, depth, &hashes);
    for (uint64_t h : hashes) deletes_[table].Add(h, key);
  }
  keys_.push_back({std::move(text), drug, {}});
}

FuzzyIndex FuzzyIndex::Build(const std::vector<DrugName>& names, const FuzzyData& data) {
  static std::atomic<uint64_t> next_id{1};
  FuzzyIndex index;
  index.id_ = next_id.fetch_add(1);
  for (const auto& [syllable, characters] : data.pinyin) {
    const auto id = static_cast<uint16_t>(index.syllables_.size());
    index.syllables_.push_back(syllable);
    index.fuzzy_syllables_.push_back(FuzzySyllable(syllable));
    index.syllable_set_.insert(syllable);
    for (char32_t cp : Decode(characters)) index.syllable_of_.emplace(cp, id);
  }
  index.common_words_.insert(data.common_words.begin(), data.common_words.end());
  index.fingerprint_ = data.fingerprint;
  for (const auto& name : names) {
    const std::u32string text = Decode(name.normalized);
    if (text.empty()) continue;
    if (std::all_of(text.begin(), text.end(), IsAsciiLetter)) {
      if (text.size() >= kMinExactLatin) {
        index.AddKey(kLatin, text, name.drug, text.size() >= kMinFuzzy);
        std::u32string sound = SoundKey(text);
        if (sound.size() >= kMinSound)
          index.AddKey(kLatinSound, std::move(sound), name.drug, false);
      }
    } else if (std::all_of(text.begin(), text.end(), IsArabicLetter)) {
      if (text.size() >= kMinExactLatin) {
        index.AddKey(kArabic, text, name.drug, text.size() >= kMinFuzzy);
      }
      if (text.size() >= kMinFuzzy && text.substr(0, 2) != U"\u0627\u0644") {
        std::u32string skeleton = ArabicSkeleton(text);
        if (skeleton.size() >= kMinSkeleton) {
          index.AddKey(kArabicSkeleton, std::move(skeleton), name.drug, false);
          index.keys_.back().name = text;
        }
      }
    } else if (std::all_of(text.begin(), text.end(), IsHan) && text.size() >= 3 &&
               text.size() <= kMaxPinyinWindow) {
      std::vector<const std::string*> syllables;
      for (char32_t cp : text) {
        auto it = index.syllable_of_.find(cp);
        if (it == index.syllable_of_.end()) break;
        syllables.push_back(&index.syllables_[it->second]);
      }
      if (syllables.size() != text.size()) continue;
      std::string joined;
      for (const auto* s : syllables) joined += *s;
      index.AddKey(kPinyin, Decode(joined), name.drug, false);
      std::string fuzzy;
      for (char32_t cp : text) fuzzy += index.fuzzy_syllables_[index.syllable_of_.at(cp)];
      index.AddKey(kPinyinFuzzy, Decode(fuzzy), name.drug, false);
      index.keys_.back().name = text;
      // One syllable cut to its initial: 头孢K肟 for 头孢克肟.
      for (size_t p = 0; p < syllables.size(); ++p) {
        std::string cut;
        for (size_t k = 0; k < syllables.size(); ++k) {
          cut += k == p ? syllables[k]->substr(0, 1) : *syllables[k];
        }
        index.AddKey(kPinyinInitial, Decode(cut), name.drug, false);
      }
    }
  }
  for (const auto& [abbreviation, drug] : data.abbreviations) {
    if (!abbreviation.empty()) index.AddKey(kAbbreviation, Decode(abbreviation), drug, false);
  }
  for (int t = 0; t < kTables; ++t) {
    index.exact_[t].Seal();
    index.deletes_[t].Seal();
  }
  return index;
}

std::optional<uint32_t> FuzzyIndex::Exact(Table table, std::u32string_view text) const {
  std::optional<uint32_t> drug;
  bool ambiguous = false;
  exact_[table].ForEach(Hash(text), [&](uint32_t index) {
    const Key& key = keys_[index];
    if (key.text != text) return;
    if (drug && *drug != key.drug) ambiguous = true;  // two drugs spelled alike
    drug = key.drug;
  });
  if (ambiguous) return std::nullopt;
  return drug;
}

std::optional<uint32_t> FuzzyIndex::Fuzzy(Table table, std::u32string_view query,
                                          int max_distance) const {
  const int depth =
      std::min(max_distance, AllowedDistance(query.size(), query.size(), table == kLatin));
  if (depth <= 0) return std::nullopt;
  thread_local std::vector<uint64_t> hashes;
  DeleteHashes(query, depth, &hashes);
  int best = depth + 1;
  std::optional<uint32_t> drug;
  bool ambiguous = false;
  auto consider = [&](uint32_t index) {
    const Key& key = keys_[index];
    if (key.text.front() != query.front()) return;  // misspellings keep the first letter
    const int allowed =
        std::min(depth, AllowedDistance(query.size(), key.text.size(), table == kLatin));
    if (allowed <= 0) return;
    const int distance = BoundedDistance(query, key.text, allowed);
    if (distance > allowed || distance > best) return;
    if (distance < best) {
      best = distance;
      drug = key.drug;
      ambiguous = false;
    } else if (key.drug != *drug) {
      ambiguous = true;
    }
  };
  for (uint64_t h : hashes) deletes_[table].ForEach(h, consider);
  if (ambiguous) return std::nullopt;
  return drug;
}

std::optional<uint32_t> FuzzyIndex::MatchWord(Table table, std::u32string_view word,
                                              int max_distance) const {
  if (auto exact = Exact(table, word)) return exact;
  return Fuzzy(table, word, max_distance);
}

template <class Compute>
std::optional<uint32_t> FuzzyIndex::Remembered(char tag, int max_distance, std::string_view word,
                                               Compute&& compute) const {
  constexpr size_t kMaxEntries = 1 << 14;
  constexpr int64_t kNone = -1;
  struct Table {
    uint64_t owner = 0;
    std::string key;
    std::unordered_map<std::string, int64_t> answers;
  };
  thread_local Table table;
  if (table.owner != id_ || table.answers.size() >= kMaxEntries) {
    table.answers.clear();
    table.owner = id_;
  }
  table.key.assign(1, tag);
  table.key += static_cast<char>('0' + max_distance);
  table.key.append(word);
  if (auto it = table.answers.find(table.key); it != table.answers.end()) {
    if (it->second == kNone) return std::nullopt;
    return static_cast<uint32_t>(it->second);
  }
  const std::optional<uint32_t> drug = compute();
  table.answers.emplace(table.key, drug ? static_cast<int64_t>(*drug) : kNone);
  return drug;
}

std::optional<uint32_t> FuzzyIndex::MatchLatinFolded(std::string_view word,
                                                     int max_distance) const {
  if (word.size() < kMinExactLatin) return std::nullopt;
  return Remembered('l', max_distance, word, [&]() -> std::optional<uint32_t> {
    if (common_words_.contains(word)) return std::nullopt;
    thread_local std::u32string query;
    query.assign(word.begin(), word.end());
    if (auto drug = MatchWord(kLatin, query, max_distance)) return drug;
    // By sound only for whole words (max_distance 2), not for fragments glued together.
    if (max_distance < 2) return std::nullopt;
    const std::u32string sound = SoundKey(query);
    if (sound.size() < kMinSound) return std::nullopt;
    return Exact(kLatinSound, sound);
  });
}

std::optional<uint32_t> FuzzyIndex::MatchLatin(std::string_view word) const {
  size_t letters = 0, leet = 0;
  for (char c : word) {
    if (IsAsciiLetter(static_cast<unsigned char>(c))) {
      ++letters;
    } else if (IsLeet(static_cast<unsigned char>(c))) {
      ++leet;
    } else {
      return std::nullopt;  // other digits and characters: not a word in disguise
    }
  }
  if (leet == 0) return MatchLatinFolded(word, 2);
  // Digits for letters only in a word that is mostly letters ("1bupr0fen", not "500mg").
  if (letters < 3 || letters < leet * 2) return std::nullopt;
  if (common_words_.contains(word)) return std::nullopt;
  std::string folded(word);
  for (bool one_is_l : {false, true}) {
    for (size_t i = 0; i < word.size(); ++i) {
      folded[i] = static_cast<char>(LeetLetter(static_cast<unsigned char>(word[i]), one_is_l));
    }
    if (auto drug = MatchLatinFolded(folded, 2)) return drug;
    if (word.find('1') == std::string_view::npos) break;
  }
  return std::nullopt;
}

std::optional<uint32_t> FuzzyIndex::MatchArabicStripped(std::u32string_view word,
                                                        int max_distance) const {
  if (word.size() < kMinExactLatin) return std::nullopt;
  if (!common_words_.empty()) {
    // An ordinary Arabic word one consonant from a name (بروتين, protein, for بروفين).
    thread_local std::string utf8_word;
    utf8_word.clear();
    for (char32_t c : word) utf8::Append(utf8_word, c);
    if (common_words_.contains(utf8_word)) return std::nullopt;
  }
  if (auto drug = MatchWord(kArabic, word, max_distance)) return drug;
  if (max_distance < 2) return std::nullopt;  // fragments glued together: spelling only
  const std::u32string skeleton = ArabicSkeleton(word);
  if (skeleton.size() < kMinSkeleton) return std::nullopt;
  std::optional<uint32_t> drug;
  bool ambiguous = false;
  exact_[kArabicSkeleton].ForEach(Hash(skeleton), [&](uint32_t index) {
    const Key& key = keys_[index];
    if (key.text != skeleton) return;
    const int allowed =
        key.name.size() >= kMinSkeletonTwo && word.size() + 1 >= kMinSkeletonTwo ? 2 : 1;
    if (ArabicVowelDistance(word, key.name, allowed) > allowed) return;
    if (drug && *drug != key.drug) ambiguous = true;
    drug = key.drug;
  });
  if (ambiguous) return std::nullopt;
  return drug;
}

std::optional<uint32_t> FuzzyIndex::MatchArabic(std::string_view word) const {
  return MatchArabicWord(word, 2);  // a whole word: the skeleton too (MatchArabicStripped)
}

std::optional<uint32_t> FuzzyIndex::MatchArabicWord(std::string_view word, int max_distance) const {
  return Remembered('a', max_distance, word,
                    [&] { return MatchArabicUncached(word, max_distance); });
}

std::optional<uint32_t> FuzzyIndex::MatchArabicUncached(std::string_view word,
                                                        int max_distance) const {
  const std::u32string text = Decode(word);
  if (auto drug = MatchArabicStripped(text, max_distance)) return drug;
  // The article ال and one proclitic (و ف ب ل ك) are written together with the word.
  std::u32string_view rest(text);
  static constexpr std::u32string_view kProclitics = U"\u0648\u0641\u0628\u0644\u0643";
  if (rest.size() > 1 && kProclitics.find(rest.front()) != std::u32string_view::npos) {
    rest.remove_prefix(1);
    if (rest.substr(0, 2) != U"\u0627\u0644") {
      if (auto drug = MatchArabicStripped(rest, max_distance)) return drug;
    }
  }
  if (rest.substr(0, 2) == U"\u0627\u0644")
    return MatchArabicStripped(rest.substr(2), max_distance);
  return std::nullopt;
}

std::optional<uint32_t> FuzzyIndex::MatchPinyin(std::string_view joined, bool abbreviated) const {
  thread_local std::u32string query;
  query.assign(joined.begin(), joined.end());
  if (auto drug = Exact(kPinyin, query)) return drug;
  if (abbreviated) return Exact(kPinyinInitial, query);
  return std::nullopt;
}

namespace {

// Chinese function characters (copula, particles, pronouns, prepositions, negation): a
// sound-alike drug spelling never swaps one of these in, while running text is full of them.
bool IsFunctionCharacter(char32_t c) {
  static constexpr std::u32string_view kFunction =
      U"是的了在和与及或也都就还又而但不没有为以于之其这那我你他她它们个把被让给对从向到等着过吗呢"
      U"吧啊";
  return kFunction.find(c) != std::u32string_view::npos;
}

}  // namespace

std::optional<uint32_t> FuzzyIndex::MatchPinyinFuzzy(std::string_view fuzzy_joined,
                                                     std::u32string_view han) const {
  thread_local std::u32string query;
  query.assign(fuzzy_joined.begin(), fuzzy_joined.end());
  std::optional<uint32_t> drug;
  bool ambiguous = false;
  exact_[kPinyinFuzzy].ForEach(Hash(query), [&](uint32_t index) {
    const Key& key = keys_[index];
    if (key.text != query || key.name.size() != han.size()) return;
    // A sound-alike spelling keeps at least half of the name's characters where they stand, and
    // what it changes is not a function character: 法是通 is "method is through", not 法斯通.
    size_t same = 0;
    for (size_t k = 0; k < han.size(); ++k) {
      if (han[k] == key.name[k]) {
        ++same;
      } else if (IsFunctionCharacter(han[k])) {
        return;
      }
    }
    if (same * 2 < han.size()) return;
    if (drug && *drug != key.drug) ambiguous = true;
    drug = key.drug;
  });
  if (ambiguous) return std::nullopt;
  return drug;
}

void FuzzyIndex::FindPinyin(std::string_view text, std::vector<Piece>* pieces,
                            std::vector<FuzzyHit>* out) const {
  auto usable = [&](const Piece& p) {
    if (p.taken || p.hit) return false;
    if (p.kind == Piece::kHan) return p.syllable >= 0;
    return p.kind == Piece::kLatin && p.letters_only;
  };
  std::string joined, fuzzy;
  std::u32string han_text;
  for (size_t i = 0; i < pieces->size(); ++i) {
    if (!usable((*pieces)[i])) continue;
    joined.clear();
    fuzzy.clear();
    han_text.clear();
    size_t han = 0, latin = 0, best_end = 0;
    bool single_letter = false, all_syllables = true;
    std::optional<uint32_t> best;
    for (size_t j = i; j < pieces->size() && j < i + kMaxPinyinWindow; ++j) {
      const Piece& p = (*pieces)[j];
      if (!usable(p) || (j > i && !p.joined)) break;
      if (p.kind == Piece::kHan) {
        ++han;
        joined += syllables_[p.syllable];
        fuzzy += fuzzy_syllables_[p.syllable];
        size_t length = 1;
        han_text.push_back(utf8::Decode(text, p.begin, &length));
      } else {
        ++latin;
        const std::string_view word = text.substr(p.begin, p.end - p.begin);
        single_letter |= word.size() == 1;
        all_syllables &= syllable_set_.contains(word);
        joined += word;
      }
      // Homophones need 3 characters; pure pinyin needs syllables (or one long word); a mixed
      // run (A莫西林) is pinyin by construction.
      const bool plausible =
          latin == 0 ? han >= 3
                     : (han > 0 || all_syllables || (latin == 1 && joined.size() >= kMinFuzzy));
      if (!plausible || joined.size() < 5) continue;
      if (han == 0 && latin == 1 && common_words_.contains(joined)) continue;
      if (auto drug = MatchPinyin(joined, single_letter && han >= 2)) {
        best = drug;
        best_end = j;
      } else if (latin == 0) {
        if (auto sound_alike = MatchPinyinFuzzy(fuzzy, han_text)) {
          best = sound_alike;
          best_end = j;
        }
      }
    }
    if (!best) continue;
    out->push_back({*best, text::Span{(*pieces)[i].begin, (*pieces)[best_end].end}});
    for (size_t k = i; k <= best_end; ++k) (*pieces)[k].hit = true;
    i = best_end;
  }
}

std::optional<uint32_t> FuzzyIndex::MatchAbbreviation(std::u32string_view text) const {
  return Exact(kAbbreviation, text);
}

void FuzzyIndex::FindAbbreviations(std::string_view text, bool han, std::vector<Piece>* pieces,
                                   std::vector<FuzzyHit>* out) const {
  constexpr size_t kMaxHan = 4;
  // A character that ties a word to its neighbour into a longer name or code ("Pcm-La", "ASA/ACC").
  auto tie = [&](size_t at) {
    if (at >= text.size()) return false;
    const char c = text[at];
    return c == '-' || c == '/' || c == '_' || c == '.' || c == '\'' || c == '+' || c == '&';
  };
  thread_local std::u32string query;
  for (size_t i = 0; i < pieces->size(); ++i) {
    Piece& p = (*pieces)[i];
    if (p.taken || p.hit || (p.kind == Piece::kHan) != han) continue;
    if (p.kind == Piece::kLatin) {
      if (!p.letters_only || p.end - p.begin > 8) continue;
      if ((p.begin > 0 && tie(p.begin - 1)) || tie(p.end)) continue;
      query.assign(text.begin() + p.begin, text.begin() + p.end);
      if (auto drug = MatchAbbreviation(query)) {
        out->push_back({*drug, {p.begin, p.end}});
        p.hit = true;
      }
      continue;
    }
    if (p.kind != Piece::kHan) continue;
    // The longest run of 2-4 adjacent characters from here that is an abbreviation.
    query.clear();
    std::optional<uint32_t> best;
    size_t best_end = i;
    for (size_t j = i; j < pieces->size() && j < i + kMaxHan; ++j) {
      const Piece& q = (*pieces)[j];
      if (q.kind != Piece::kHan || q.taken || q.hit) break;
      if (j > i && q.begin != (*pieces)[j - 1].end) break;
      size_t length = 1;
      query.push_back(utf8::Decode(text, q.begin, &length));
      if (j == i) continue;
      if (auto drug = MatchAbbreviation(query)) {
        best = drug;
        best_end = j;
      }
    }
    if (!best) continue;
    out->push_back({*best, {p.begin, (*pieces)[best_end].end}});
    for (size_t k = i; k <= best_end; ++k) (*pieces)[k].hit = true;
    i = best_end;
  }
}

void FuzzyIndex::Split(std::string_view text, text::Span range,
                       const std::vector<text::Span>& taken, std::vector<Piece>* pieces) const {
  pieces->clear();
  size_t next_taken = 0;
  uint32_t previous_end = range.begin;
  bool first = true;
  auto push = [&](Piece::Kind kind, uint32_t begin, uint32_t end, int32_t syllable, bool letters) {
    // Joined: nothing or one joiner character between this piece and the previous one.
    const uint32_t gap = begin - previous_end;
    const bool joined =
        !first && (gap == 0 || (gap == 1 && IsJoiner(static_cast<unsigned char>(text[begin - 1]))));
    while (next_taken < taken.size() && taken[next_taken].end <= begin) ++next_taken;
    bool overlaps = false;
    for (size_t k = next_taken; k < taken.size() && taken[k].begin < end; ++k) {
      if (taken[k].end > begin) {
        overlaps = true;
        break;
      }
    }
    pieces->push_back({kind, begin, end, syllable, joined, overlaps, letters});
    previous_end = end;
    first = false;
  };
  size_t pos = range.begin;
  while (pos < range.end) {
    size_t length = 1;
    const char32_t cp = utf8::Decode(text, pos, &length);
    if (IsAsciiLetter(cp) || IsLeet(cp) || (cp >= '0' && cp <= '9')) {
      size_t end = pos;
      bool letters = true, any_letter = false;
      while (end < range.end) {
        const char32_t c = static_cast<unsigned char>(text[end]);
        if (IsAsciiLetter(c)) {
          any_letter = true;
        } else if (IsLeet(c) || (c >= '0' && c <= '9')) {
          letters = false;
        } else {
          break;
        }
        ++end;
      }
      if (any_letter) {
        push(Piece::kLatin, static_cast<uint32_t>(pos), static_cast<uint32_t>(end), -1, letters);
      } else {
        first = true;  // a number separates words
      }
      pos = end;
      continue;
    }
    if (IsArabicLetter(cp)) {
      size_t end = pos;
      while (end < range.end) {
        size_t l = 1;
        if (!IsArabicLetter(utf8::Decode(text, end, &l))) break;
        end += l;
      }
      push(Piece::kArabic, static_cast<uint32_t>(pos), static_cast<uint32_t>(end), -1, true);
      pos = end;
      continue;
    }
    if (IsHan(cp)) {
      auto it = syllable_of_.find(cp);
      push(Piece::kHan, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + length),
           it == syllable_of_.end() ? -1 : it->second, true);
    }
    pos += length;
  }
}

void FuzzyIndex::Find(std::string_view text, text::Span range, const std::vector<text::Span>& taken,
                      std::vector<FuzzyHit>* out) const {
  thread_local std::vector<Piece> pieces;
  thread_local std::vector<FuzzyHit> hits;
  range.end = std::min<uint32_t>(range.end, static_cast<uint32_t>(text.size()));
  if (range.begin >= range.end) return;
  Split(text, range, taken, &pieces);
  hits.clear();
  auto word = [&](const Piece& p) { return text.substr(p.begin, p.end - p.begin); };
  // A Latin abbreviation is exact and short: it goes before the fuzzy word passes ("PCM" is no
  // misspelling). Chinese ones go after the pinyin pass, so that 阿奇梅素 stays one name.
  FindAbbreviations(text, /*han=*/false, &pieces, &hits);
  // Whole words first, then two fragments joined ("amoxi cillin", "ib*uprofen").
  for (auto& p : pieces) {
    if (p.taken || p.hit || p.kind == Piece::kHan) continue;
    auto drug = p.kind == Piece::kLatin ? MatchLatin(word(p)) : MatchArabic(word(p));
    if (!drug) continue;
    hits.push_back({*drug, {p.begin, p.end}});
    p.hit = true;
  }
  std::string joined;
  for (size_t i = 0; i + 1 < pieces.size(); ++i) {
    Piece& a = pieces[i];
    Piece& b = pieces[i + 1];
    if (a.taken || b.taken || a.hit || b.hit || !b.joined || a.kind != b.kind ||
        a.kind == Piece::kHan || a.end == b.begin || a.end - a.begin < 2 || b.end - b.begin < 2) {
      continue;
    }
    joined.assign(word(a));
    joined += word(b);
    // Two words glued together are only a name when they spell it exactly, or within one edit
    // when the result is long ("for ten" is one edit from Forteo). Long means letters, not bytes:
    // an Arabic letter takes two ("في اليوم" is one edit from فاليوم but only 7 letters).
    const size_t letters =
        static_cast<size_t>(std::count_if(joined.begin(), joined.end(), [](char c) {
          return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        }));
    const int max_distance = letters >= kMinJoinedFuzzy ? 1 : 0;
    std::optional<uint32_t> drug;
    if (a.kind == Piece::kLatin) {
      if (a.letters_only && b.letters_only) drug = MatchLatinFolded(joined, max_distance);
    } else {
      drug = MatchArabicWord(joined, max_distance);
    }
    if (!drug) continue;
    hits.push_back({*drug, {a.begin, b.end}});
    a.hit = b.hit = true;
    ++i;
  }
  if (!syllables_.empty()) FindPinyin(text, &pieces, &hits);
  FindAbbreviations(text, /*han=*/true, &pieces, &hits);
  std::sort(hits.begin(), hits.end(),
            [](const FuzzyHit& a, const FuzzyHit& b) { return a.span.begin < b.span.begin; });
  out->insert(out->end(), hits.begin(), hits.end());
}

}  // namespace medaudit::knowledge
