/**
 * What a staff password must be: at least 12 characters, not trivially guessable (one of the
 * passwords attackers try first, a keyboard or counting run, a repeated pattern, too few
 * different characters), and not the account's own email or its name before the @.
 */

export const MIN_PASSWORD_CHARS = 12;

// Written for this project from the shapes at the top of every public breach list, in the
// Latin and Arabic keyboards Sanad's staff use; compared after lower-casing and removing
// spaces, digits and punctuation at either end (so "Password2024!" is "password").
const TRIVIAL = new Set([
  'password',
  'passw0rd',
  'passwort',
  'letmein',
  'welcome',
  'qwerty',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'iloveyou',
  'admin',
  'administrator',
  'changeme',
  'secret',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'master',
  'trustno1',
  'superman',
  'starwars',
  'whatever',
  'sanad',
  'support',
  'customer',
  'riyadh',
  'jeddah',
  'saudi',
  'saudiarabia',
  'ksa',
  'mohammed',
  'muhammad',
  'abdullah',
  'كلمةالمرور',
  'كلمةسر',
  'كلمهالسر',
  'مرحبا',
  'السعودية',
  'الرياض',
  'جدة',
  'محمد',
  'ضصثقفغعهخحجد',
  'شسيبلاتنمكط',
]);
const RUNS = [
  'abcdefghijklmnopqrstuvwxyz',
  '01234567890123456789012',
  'qwertyuiopasdfghjklzxcvbnm',
  'ضصثقفغعهخحجدشسيبلاتنمكطئءؤرلاىةوزظ',
];

const chars = (s: string) => [...s];

function isRun(s: string): boolean {
  if (s.length < 6) return false;
  return RUNS.some((run) => run.includes(s) || chars(run).reverse().join('').includes(s));
}

/** A string made of one short piece repeated ("abcabcabcabc", "12121212…"). */
function isRepeat(s: string): boolean {
  const cs = chars(s);
  for (let n = 1; n <= cs.length / 2; n++) {
    if (cs.length % n === 0 && cs.every((c, i) => c === cs[i % n])) return true;
  }
  return false;
}

/** Why `password` is refused for the account `email`, or undefined when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = chars(password).length;
  if (length < MIN_PASSWORD_CHARS) return `must be at least ${MIN_PASSWORD_CHARS} characters`;
  if (password.trim() === '') return 'must not be only spaces';
  const folded = password.toLowerCase().replace(/\s+/g, '');
  if (new Set(chars(folded)).size < 5) return 'uses too few different characters: choose a passphrase';
  if (isRepeat(folded) || isRun(folded)) return 'is a run or a repeated pattern: choose a passphrase';
  const core = folded.replace(/^[\p{N}\p{P}\p{S}]+|[\p{N}\p{P}\p{S}]+$/gu, '');
  if (TRIVIAL.has(core) || TRIVIAL.has(folded) || isRun(core) || isRepeat(core))
    return 'is one of the passwords tried first in attacks: choose a passphrase';
  if (email) {
    const address = email.trim().toLowerCase();
    const local = address.split('@')[0] ?? '';
    if (folded.includes(address) || (local.length >= 3 && folded.includes(local.replace(/\s+/g, ''))))
      return 'must not contain the account’s email or its name';
  }
  return undefined;
}
