/* Kazakhstan's IIN / BIN checksum (12 digits, the 12th a control digit): the weighted sum of
 * the first 11 digits with weights 1..11 mod 11; when that gives 10, a second pass with weights
 * 3..11,1,2; a result of 10 again means the number is invalid. */
const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

export function idChecksumOk(s) {
  if (!/^\d{12}$/.test(s || '')) return false;
  const d = [...s].map(Number);
  const sum = (w) => w.reduce((acc, wi, i) => acc + wi * d[i], 0) % 11;
  let c = sum(W1);
  if (c === 10) c = sum(W2);
  return c !== 10 && c === d[11];
}

/* '' when valid, else a reason code for the translation: 'iin.length', 'iin.checksum' */
export function iinProblem(s) {
  if (!/^\d{12}$/.test(s || '')) return 'iin.length';
  if (!idChecksumOk(s)) return 'iin.checksum';
  return '';
}
