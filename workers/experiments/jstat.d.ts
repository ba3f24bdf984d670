// The parts of jStat (https://github.com/jstat/jstat, MIT) that Kindly's experiment statistics use.
declare module "jstat" {
  interface Continuous {
    pdf(x: number, a: number, b: number): number;
    cdf(x: number, a: number, b: number): number;
    inv(p: number, a: number, b: number): number;
  }
  const jstat: { jStat: { beta: Continuous; normal: Continuous } };
  export default jstat;
}
