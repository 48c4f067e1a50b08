#!/usr/bin/env python3
"""Writes the bad-input files of this folder (docs/bad-inputs.md). Files named in catalogue.tsv as
gen:<name> are too large to keep and are made by tests/regress/bad_inputs_test.cc at run time."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
RX_EN = 'Take amoxicillin 500 mg three times a day for 7 days.'


def w(name, data):
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)


def line(obj):
    return json.dumps(obj, ensure_ascii=False) + '\n'


BASE_PACK = {
    'pack': {'id': 'bad', 'version': '1.0.0', 'title': 'bad-input pack', 'jurisdiction': 'INTL',
             'implements': [{'id': 'bad.cite', 'text': 'Bad-input citation'}]},
    'lexicons': {'supply': {'en': ['order now']}},
    'patterns': {'p': {'en': ['order [0-9]+ boxes']}},
    'rules': [{
        'id': 'bad.supply', 'category': 'drug_supply', 'severity': 'block',
        'harm': {'extent': 'mild_moderate', 'likelihood': 'medium'},
        'message': {'en': 'Supply offer.', 'zh': '供药。', 'ar': 'عرض توريد.'},
        'citation': {'id': 'bad.cite', 'text': 'Bad-input citation'},
        'scope': 'sentence',
        'when': {'any': [{'lexicon': 'supply'}, {'pattern': 'p'}]},
        'tests': [{'lang': 'en', 'text': 'Order now.', 'expect': ['ruleid:bad.supply']},
                  {'lang': 'en', 'text': 'Rest.', 'expect': ['ok:bad.supply']}]}]}


def pack(**changes):
    p = json.loads(json.dumps(BASE_PACK))
    for key, value in changes.items():
        if key == 'pattern':
            p['patterns']['p'] = {'en': [value]}
        elif key == 'no_citation':
            del p['rules'][0]['citation']
        elif key == 'rule_id':
            p['rules'][0]['id'] = value
    return json.dumps(p, ensure_ascii=False, indent=1)


# UTF-8
w('text-invalid-utf8.txt', b'Take ibuprofen \xff 400 mg')
w('text-overlong-slash.txt', b'Take \xc0\xaf amoxicillin 500 mg three times a day')
w('text-surrogate.txt', b'Take \xed\xa0\x80 500 mg')
w('text-truncated-sequence.txt', 'Take 阿莫西林'.encode()[:-1])
w('jsonl-invalid-utf8.jsonl', b'{"id":"u1","answer":"Take \xc0\x80 amoxicillin"}\n')
w('jsonl-invalid-utf8-id.jsonl', b'{"id":"\xff","answer":"Rest and fluids."}\n')
w('jsonl-lone-surrogate-escape.jsonl', '{"id":"s1","answer":"\\ud800 500 mg"}\n')
# NUL bytes
w('text-nul.txt', b'Take amoxicillin\x00 500 mg three times a day')
w('jsonl-nul-raw.jsonl', b'{"id":"n1","answer":"Take amoxicillin\x00 500 mg three times a day"}\n')
w('jsonl-nul-escaped.jsonl', '{"id":"n2","answer":"Take amoxicillin\\u0000 500 mg three times a day"}\n')
# BOMs
w('text-bom.txt', '\ufeff' + RX_EN)
w('jsonl-bom.jsonl', '\ufeff' + line({'id': 'b1', 'answer': RX_EN}))
w('policy-bom.json', '\ufeff{"max_harm_rate": 0.5}')
# mixed scripts, bidi controls, invisible characters
w('text-mixed-scripts.txt', '请服用 ibuprofen 400mg 每日3次，ثم راجع الطبيب.')
w('text-bidi-rlo.txt', '\u202eTake amoxicillin 500 mg\u202c three times a day.')
w('text-bidi-isolate-ar.txt', 'تناول \u2067أموكسيسيلين\u2069 ٥٠٠ ملغ ثلاث مرات يوميا.')
w('text-zwsp-drug.txt', 'amoxi\u200bcillin 500 mg three times a day')
w('text-zwj-drug.txt', 'amoxi\u200dcillin 500 mg three times a day')
w('text-zwnj-drug.txt', 'amoxi\u200ccillin 500 mg three times a day')
w('text-word-joiner-drug.txt', 'amoxi\u2060cillin 500 mg three times a day')
w('text-soft-hyphen-drug.txt', 'amoxi\u00adcillin 500 mg three times a day')
w('text-zwsp-zh.txt', '建议口服阿莫\u200b西林胶囊0.5g，每日三次。')
w('text-tatweel-ar.txt', 'تناول أموكســـيسيلين ٥٠٠ ملغ ثلاث مرات يوميا.')
# homoglyphs
w('text-homoglyph-cyrillic-a.txt', 'Take \u0430moxicillin 500 mg three times a day.')
w('text-homoglyph-cyrillic-o.txt', 'Take am\u043exicillin 500 mg three times a day.')
w('text-homoglyph-dotless-i.txt', 'Take amox\u0131cillin 500 mg three times a day.')
w('text-homoglyph-latin-alpha.txt', 'Take \u0251moxicillin 500 mg three times a day.')
w('text-homoglyph-greek-omicron.txt', 'Take am\u03bfxicillin 500 mg three times a day.')
# full width
w('text-fullwidth-en.txt', 'Ｔａｋｅ ａｍｏｘｉｃｉｌｌｉｎ ５００ ｍｇ three times a day.')
w('text-fullwidth-zh-digits.txt', '建议口服布洛芬缓释胶囊，每次０．３ｇ，每日２次，连续服用３天。')
w('text-arabic-indic-digits.txt', 'تناول أموكسيسيلين ٥٠٠ ملغ ثلاث مرات يوميا لمدة ٧ أيام.')
# JSON shape
w('jsonl-empty.jsonl', '')
w('jsonl-blank-line.jsonl', '   \n')
w('jsonl-not-object.jsonl', '["answer", "Take amoxicillin 500 mg"]\n')
w('jsonl-missing-answer.jsonl', '{"id":"m1","text":"Take amoxicillin 500 mg three times a day"}\n')
w('jsonl-question-number.jsonl', '{"id":"q1","question":5,"answer":"Rest."}\n')
w('jsonl-trailing-garbage.jsonl', '{"id":"t1","answer":"Rest."} x\n')
w('jsonl-duplicate-answer.jsonl',
  '{"id":"d1","answer":"Rest and fluids.","answer":"Take amoxicillin 500 mg three times a day."}\n')
w('jsonl-deep-300.jsonl', '{"id":"deep","answer":"Rest.","x":' + '[' * 300 + ']' * 300 + '}\n')
w('jsonl-deep-id.jsonl', '{"id":' + '[' * 255 + ']' * 255 + ',"answer":"Rest."}\n')
w('jsonl-number-too-big.jsonl', '{"id":1e400,"answer":"Rest."}\n')
w('jsonl-big-integer-id.jsonl', '{"id":123456789012345678901234567890,"answer":"Rest."}\n')
w('jsonl-big-integer-id-nested.jsonl', '{"id":{"n":[-123456789012345678901234567890,1.5,1e2]},"answer":"Rest."}\n')
w('jsonl-unknown-lang.jsonl', line({'id': 'l1', 'lang': 'xx', 'answer': RX_EN}))
w('jsonl-crlf.jsonl', line({'id': 'c1', 'answer': RX_EN}).replace('\n', '\r\n'))
# corpora
w('corpus-duplicate-key-answer.jsonl',
  '{"id": "d1", "answer": "Rest and drink fluids.", "answer": "' + RX_EN + '"}\n')
w('corpus-duplicate-ids.jsonl', line({'id': 'a', 'answer': RX_EN}) + line({'id': 'a', 'answer': 'Rest.'}))
w('corpus-empty.jsonl', '')
w('corpus-invalid-utf8.jsonl', b'{"id":"a","answer":"\xc0\xaf"}\n')
w('corpus-deep.jsonl', '{"id":"a","answer":"Rest.","labels":' + '[' * 300 + ']' * 300 + '}\n')
w('csv-empty.csv', '')
w('csv-unterminated-quote.csv', 'id,question,answer\n1,"q,Take amoxicillin 500 mg\n')
w('csv-invalid-utf8.csv', b'id,question,answer\n1,q,\xc0\xaf\n')
w('csv-bom-header.csv', '\ufeffid,question,answer\n1,q,Rest.\n')
w('healthbench-deep.jsonl', '{"prompt_id":"p","prompt":' + '[' * 300 + ']' * 300 + '}\n')
# gate policies
w('policy-empty.json', '')
w('policy-duplicate-keys.json', '{"max_harm_rate": 0.99, "max_harm_rate": 0.01}')
w('policy-rate-out-of-range.json', '{"max_harm_rate": 1.5}')
w('policy-number-too-big.json', '{"max_harm_rate": 1e400}')
w('policy-count-too-big.json', '{"max_ai_prescriptions": 99999999999999999999}')
w('policy-negative-count.json', '{"max_by_category": {"overdose": -1}}')
w('policy-zero-exponent.json', '{"max_harm_rate": 0e-200}')
w('policy-deep.json', '{"max_by_category":' + '{"a":' * 300 + '1' + '}' * 301)
# rule packs
w('pack-valid.json', pack())
w('pack-backreference.json', pack(pattern='(order) \\1'))
w('pack-lookahead.json', pack(pattern='order(?= now)'))
w('pack-lookbehind.json', pack(pattern='(?<!do not )order'))
w('pack-missing-citation.json', pack(no_citation=True))
w('pack-wrong-rule-prefix.json', pack(rule_id='other.supply'))
w('pack-empty.json', '')
w('pack-deep.json', '{"pack":' + '[' * 300 + ']' * 300 + '}')
