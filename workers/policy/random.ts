/**
 * Seeded randomness for the policy: the same seed always gives the same draws, so a decision
 * can be replayed in tests, the simulator and an audit. Never Math.random.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** Four 32-bit words from a string (xmur3 string hash), so similar seeds diverge fully. */
function seedWords(seed: string): [number, number, number, number] {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  const next = () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0;
  };
  return [next(), next(), next(), next()];
}

/** A deterministic PRNG (sfc32: small, fast, passes PractRand) seeded from a string. */
export function createRng(seed: string): Rng {
  let [a, b, c, d] = seedWords(seed);
  const rng = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // sfc32 needs a few rounds before weak seeds are mixed.
  for (let i = 0; i < 12; i++) rng();
  return rng;
}

/** A standard normal draw (Box-Muller); 1 - u keeps the logarithm finite. */
export function sampleNormal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function assertShape(name: string, x: number): void {
  if (!Number.isFinite(x) || x <= 0) throw new RangeError(`${name} must be a positive finite number, got ${x}`);
}

/**
 * log of a Gamma(shape, 1) draw (Marsaglia-Tsang 2000). Working in logs keeps tiny shapes
 * exact: for shape < 1, Gamma(shape) = Gamma(shape + 1) * U^(1/shape), whose value underflows
 * to 0 long before its logarithm does.
 */
export function sampleLogGamma(rng: Rng, shape: number): number {
  assertShape("shape", shape);
  if (shape < 1) return sampleLogGamma(rng, shape + 1) + Math.log(1 - rng()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    // Squeeze first (cheap), then the exact log test.
    if (u < 1 - 0.0331 * x * x * x * x) return Math.log(d * v);
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return Math.log(d * v);
  }
}

/** A Gamma(shape, 1) draw. */
export function sampleGamma(rng: Rng, shape: number): number {
  return Math.exp(sampleLogGamma(rng, shape));
}

/** A Beta(alpha, beta) draw as X / (X + Y) with X, Y Gamma draws, computed in logs. */
export function sampleBeta(rng: Rng, alpha: number, beta: number): number {
  assertShape("alpha", alpha);
  assertShape("beta", beta);
  const lx = sampleLogGamma(rng, alpha);
  const ly = sampleLogGamma(rng, beta);
  // X / (X + Y) = 1 / (1 + e^(ly - lx)); exact at both tails, never 0/0.
  return 1 / (1 + Math.exp(ly - lx));
}
