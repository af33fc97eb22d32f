import { afterAll, describe, expect, it } from 'vitest';
import { icc, cohenKappaTable, cohenKappa, kappaWeights, fleissKappa, fleissKappaFromRatings, krippendorffAlpha, kendallW, spearman, kendallTauB, pearson, linCcc, blandAltman } from '../../src/agreement/index';
import { expectPublished, expectR, fixture, transpose, worst } from './helpers';

afterAll(() => console.log('worst deviations (reliability):', JSON.stringify(worst)));

describe('ICC: Shrout & Fleiss (1979) Table 2/4, psych::ICC, irr::icc', () => {
  const f = fixture('shrout_fleiss_1979_icc');
  const r = icc(f.ratings);
  it('mean squares', () => {
    for (const k of ['BMS', 'WMS', 'JMS', 'EMS'] as const) {
      expectPublished(r.meanSquares[k], f.published.mean_squares[k], k);
      expectR(r.meanSquares[k], f.r_oracle.mean_squares[k], k);
    }
  });
  it('six forms: estimates (published 2 d.p.), F, df, p, 95% CI (psych)', () => {
    const pub: Record<string, string> = { ICC1: 'ICC(1,1)', ICC2: 'ICC(2,1)', ICC3: 'ICC(3,1)', ICC1k: 'ICC(1,4)', ICC2k: 'ICC(2,4)', ICC3k: 'ICC(3,4)' };
    for (const [type, label] of Object.entries(pub)) {
      const e = r.forms[type as keyof typeof r.forms];
      const o = f.r_oracle.psych_ICC[type];
      expectPublished(e.value, f.published.ICC[label], label);
      expectR(e.value, o.ICC, `${type} value`);
      expectR(e.F, o.F, `${type} F`);
      expect(e.df1).toBe(o.df1);
      expect(e.df2).toBe(o.df2);
      expectR(e.p, o.p, `${type} p`);
      expectR(e.lower, o.lower, `${type} lower`);
      expectR(e.upper, o.upper, `${type} upper`);
      const bk = { ICC1: 'ICC1_1', ICC2: 'ICC2_1', ICC3: 'ICC3_1', ICC1k: 'ICC1_k', ICC2k: 'ICC2_k', ICC3k: 'ICC3_k' }[type]!;
      expectR(e.lower, f.r_oracle.base_formulas.ci95[bk][0], `${type} base lower`);
      expectR(e.upper, f.r_oracle.base_formulas.ci95[bk][1], `${type} base upper`);
    }
  });
  it("irr::icc convention for the absolute-agreement forms (ν for p; ν from ICC(A,k) for its CI)", () => {
    const ri = icc(f.ratings, { agreementMethod: 'irr' });
    const o1 = f.r_oracle.irr_icc['twoway_agreement_single ICC(A,1)=ICC(2,1)'];
    const ok = f.r_oracle.irr_icc['twoway_agreement_average ICC(A,k)=ICC(2,k)'];
    expectR(ri.forms.ICC2.df2, o1.df2, 'nu');
    expectR(ri.forms.ICC2.p, o1.p, 'p A1');
    expectR(ri.forms.ICC2.lower, o1.lbound, 'lb A1');
    expectR(ri.forms.ICC2.upper, o1.ubound, 'ub A1');
    expectR(ri.forms.ICC2k.df2, ok.df2, 'nu k');
    expectR(ri.forms.ICC2k.p, ok.p, 'p Ak');
    expectR(ri.forms.ICC2k.lower, ok.lbound, 'lb Ak');
    expectR(ri.forms.ICC2k.upper, ok.ubound, 'ub Ak');
    expectR(f.r_oracle.base_formulas.satterthwaite_df_ICC2, icc(f.ratings).forms.ICC2.df2 === 15 ? ri.forms.ICC2.df2 : NaN, 'satterthwaite');
    for (const [type, key] of [['ICC1', 'oneway_single ICC(1,1)'], ['ICC3', 'twoway_consistency_single ICC(C,1)=ICC(3,1)'], ['ICC1k', 'oneway_average ICC(k)'], ['ICC3k', 'twoway_consistency_average ICC(C,k)=ICC(3,k)']] as const) {
      const o = f.r_oracle.irr_icc[key];
      expectR(ri.forms[type].p, o.p, `${type} p`);
      expectR(ri.forms[type].lower, o.lbound, `${type} lb`);
      expectR(ri.forms[type].upper, o.ubound, `${type} ub`);
    }
  });
  it('two methods (PEFR wright1 vs mini1)', () => {
    const c = fixture('ccc_pefr');
    const r2 = icc(c.x.map((x: number, i: number) => [x, c.y[i]]));
    const o = c.r_oracle.icc_two_methods;
    for (const [type, key] of [['ICC1', 'ICC1_1'], ['ICC2', 'ICC2_1'], ['ICC3', 'ICC3_1'], ['ICC1k', 'ICC1_k'], ['ICC2k', 'ICC2_k'], ['ICC3k', 'ICC3_k']] as const) {
      expectR(r2.forms[type].value, o.estimates[key], `${type}`);
      expectR(r2.forms[type].lower, o.ci95[key][0], `${type} lower`);
      expectR(r2.forms[type].upper, o.ci95[key][1], `${type} upper`);
    }
  });
});

type KappaOracle = { po: number; pe: number; kappa: number; ase: number; ci95: [number, number]; ase0: number; z: number };
function checkKappa(r: ReturnType<typeof cohenKappaTable>, o: KappaOracle, label: string) {
  expectR(r.po, o.po, `${label} po`);
  expectR(r.pe, o.pe, `${label} pe`);
  expectR(r.kappa, o.kappa, `${label} kappa`);
  expectR(r.ase, o.ase, `${label} ase`);
  expectR(r.ase0, o.ase0, `${label} ase0`);
  expectR(r.z, o.z, `${label} z`);
  expectR(r.lower, o.ci95[0], `${label} lower`);
  expectR(r.upper, o.ci95[1], `${label} upper`);
}

describe("Cohen's kappa", () => {
  it('SAS PROC FREQ 3×3 with an empty column (published 4 d.p.; R to 1e-6)', () => {
    const f = fixture('kappa_sas_3x3');
    const u = cohenKappaTable(f.table);
    const l = cohenKappaTable(f.table, { weights: 'linear' });
    const q = cohenKappaTable(f.table, { weights: 'quadratic' });
    checkKappa(u, f.r_oracle.unweighted, 'unweighted');
    checkKappa(l, f.r_oracle.linear, 'linear');
    checkKappa(q, f.r_oracle.quadratic, 'quadratic');
    for (const [r, p] of [[u, f.published.simple_kappa], [l, f.published.weighted_kappa_linear_cicchetti_allison]] as const) {
      expectPublished(r.kappa, p.kappa, 'kappa');
      expectPublished(r.ase, p.ase, 'ase', 4); // SAS prints 4 decimals; 0.138 is .1380
      expectPublished(r.lower, p.ci95[0], 'lower');
      expectPublished(r.upper, p.ci95[1], 'upper');
      expectPublished(r.ase0, p.ase_h0, 'ase0');
      expectPublished(r.z, p.z, 'z');
      expectPublished(r.p, p.p_two_sided, 'p two-sided', 4);
      expectPublished(r.p / 2, p.p_one_sided, 'p one-sided', 4);
    }
    for (const [r, v] of [[u, f.r_oracle.vcd_Kappa.unweighted], [l, f.r_oracle.vcd_Kappa.equal_spacing], [q, f.r_oracle.vcd_Kappa.fleiss_cohen]] as const) {
      expectR(r.kappa, v[0], 'vcd kappa');
      expectR(r.ase, v[1], 'vcd ase');
    }
  });
  it('Cohen (1968) proportions with disagreement weights w = 1 − v/6; Fleiss–Cohen–Everitt (1969) counts', () => {
    const f = fixture('kappa_cohen1968_fce1969');
    const c = f.cohen1968;
    const table = c.proportions.map((r: number[]) => r.map((p) => p * c.n));
    const u = cohenKappaTable(table);
    const w = cohenKappaTable(table, { weights: c.disagreement_weights.map((r: number[]) => r.map((v) => 1 - v / 6)) });
    expect(w.weighting).toBe('custom');
    expectPublished(u.kappa, c.published_per_psych_docs.kappa, 'kappa');
    expectPublished(w.kappa, c.published_per_psych_docs.weighted_kappa, 'weighted');
    checkKappa(u, c.r_oracle.base_unweighted, 'cohen unweighted');
    checkKappa(w, c.r_oracle.base_weighted, 'cohen weighted');
    expectR(u.lower, c.r_oracle.psych_confid[0][0], 'psych lower');
    expectR(u.upper, c.r_oracle.psych_confid[0][2], 'psych upper');
    const e = f.fleiss_cohen_everitt1969;
    checkKappa(cohenKappaTable(e.counts), e.r_oracle.base_unweighted, 'FCE unweighted');
    checkKappa(cohenKappaTable(e.counts, { weights: e.agreement_weights }), e.r_oracle.base_weighted, 'FCE weighted');
    // psych's weighted CI is unreliable (SOURCES.md caveat): we do not reproduce psych_confid[1] for Cohen 1968 (−0.34..1)
  });
  it('pathologists 5×5 (Agresti: κ .498, quadratic κw .779)', () => {
    const f = fixture('kappa_pathologists_5x5');
    const u = cohenKappaTable(f.table);
    const l = cohenKappaTable(f.table, { weights: 'linear' });
    const q = cohenKappaTable(f.table, { weights: 'quadratic' });
    expectPublished(u.kappa, f.published.kappa);
    expectPublished(q.kappa, f.published.weighted_kappa_quadratic);
    checkKappa(u, f.r_oracle.unweighted, 'u');
    checkKappa(l, f.r_oracle.linear, 'l');
    checkKappa(q, f.r_oracle.quadratic, 'q');
    expectR(l.z, f.r_oracle.irr_kappa2.equal.z, 'irr equal z');
    expectR(q.z, f.r_oracle.irr_kappa2.squared.z, 'irr squared z');
  });
  it('irr anxiety rater2 vs rater3: observed levels (irr, k=5) vs the full 1–6 scale (k=6)', () => {
    const f = fixture('kappa_irr_anxiety');
    const r2 = f.ratings.map((r: number[]) => r[1]);
    const r3 = f.ratings.map((r: number[]) => r[2]);
    const obs = [1, 2, 3, 4, 6];
    const full = [1, 2, 3, 4, 5, 6];
    const pub = f.published_irr_kappa2_rater2_vs_rater3;
    for (const [w, key, pk] of [['unweighted', 'unweighted', 'unweighted'], ['linear', 'linear', 'equal_linear'], ['quadratic', 'quadratic', 'squared_quadratic']] as const) {
      const a = cohenKappa(r2, r3, obs, { weights: w });
      const b = cohenKappa(r2, r3, full, { weights: w });
      checkKappa(a, f.r_oracle.observed_levels_k5[key], `k5 ${w}`);
      checkKappa(b, f.r_oracle.full_scale_1to6_k6[key], `k6 ${w}`);
      expectPublished(a.kappa, pub[pk].kappa, `${w} kappa`);
      expectPublished(a.z, pub[pk].z, `${w} z`);
      expectPublished(a.p, pub[pk].p, `${w} p`);
      expect(b.k).toBe(6);
    }
    // the unused category changes the weighted kappa (k = 5 vs 6): this is why categories are explicit
    expect(Math.abs(cohenKappa(r2, r3, obs, { weights: 'linear' }).kappa - cohenKappa(r2, r3, full, { weights: 'linear' }).kappa)).toBeGreaterThan(0.01);
  });
  it('irr custom score weights (rater1 vs rater2): a Toeplitz weight matrix built from distance scores', () => {
    const f = fixture('kappa_irr_anxiety');
    const r1 = f.ratings.map((r: number[]) => r[0]);
    const r2 = f.ratings.map((r: number[]) => r[1]);
    // irr::kappa2(weight = numeric s): agreement weight for |i−j| = d is 1 − (s[d] − min s)/(max s − min s)
    const toeplitz = (s: number[]) => {
      const mn = Math.min(...s);
      const mx = Math.max(...s);
      return s.map((_, i) => s.map((__, j) => 1 - (s[Math.abs(i - j)] - mn) / (mx - mn)));
    };
    const pub = f.published_irr_kappa2_rater1_vs_rater2_custom_scores;
    for (const [s, key] of [[[0, 0, 0, 1, 1, 1], 'weights_c(0,0,0,1,1,1)'], [[0, 0, 1, 1, 2, 2], 'weights_c(0,0,1,1,2,2)']] as const) {
      const r = cohenKappa(r1, r2, [1, 2, 3, 4, 5, 6], { weights: toeplitz([...s]) });
      expectPublished(r.kappa, pub[key].kappa, `${key} kappa`);
      expectPublished(r.z, pub[key].z, `${key} z`);
      expectPublished(r.p, pub[key].p, `${key} p`);
    }
  });
  it('weights are agreement weights', () => {
    expect(kappaWeights(5, 'linear')[0]).toEqual([1, 0.75, 0.5, 0.25, 0]);
    expect(kappaWeights(5, 'quadratic')[0]).toEqual([1, 0.9375, 0.75, 0.4375, 0]);
  });
});

describe("Fleiss' kappa", () => {
  it('Fleiss (1971) Table 1 diagnoses: κ .430, irr z, per-category κ_j and z_j', () => {
    const f = fixture('fleiss_1971_diagnoses');
    const r = fleissKappaFromRatings(f.ratings, [1, 2, 3, 4, 5]);
    const rc = fleissKappa(f.counts);
    expect(rc.kappa).toBe(r.kappa);
    const o = f.r_oracle.base;
    expectPublished(r.kappa, f.published.kappa);
    expectPublished(r.kappa, f.published.irr_kappam_fleiss.kappa);
    expectPublished(r.z, f.published.irr_kappam_fleiss.z);
    expect(r.pj.map((p) => Math.round(p * 180))).toEqual(f.published.category_totals);
    expectR(r.Pbar, o.Pbar, 'Pbar');
    expectR(r.Pe, o.Pe, 'Pe');
    expectR(r.kappa, o.kappa, 'kappa');
    expectR(r.se0, o.se0, 'se0');
    expectR(r.z, o.z, 'z');
    o.p_j.forEach((v: number, j: number) => expectR(r.pj[j], v, `p_${j}`));
    o.P_i.forEach((v: number, i: number) => expectR(r.Pi[i], v, `P_${i}`));
    o.kappa_j.forEach((v: number, j: number) => {
      expectR(r.perCategory[j].kappa!, v, `kappa_${j}`);
      expectR(r.perCategory[j].se0, o.se0_j, `se0_${j}`);
      expectR(r.perCategory[j].z!, o.z_j[j], `z_${j}`);
      expectPublished(r.perCategory[j].kappa!, f.r_oracle.irr_kappam_fleiss_detail.detail[j][0], `irr detail kappa ${j}`);
      expectPublished(r.perCategory[j].z!, f.r_oracle.irr_kappam_fleiss_detail.detail[j][1], `irr detail z ${j}`);
    });
  });
  it('Wikipedia worked example (10 × 14)', () => {
    const f = fixture('fleiss_kappa_wikipedia');
    const r = fleissKappa(f.counts);
    const o = f.r_oracle.base;
    expectPublished(r.Pbar, f.published.Pbar);
    expectPublished(r.Pe, f.published.Pe);
    expectPublished(r.kappa, f.published.kappa);
    f.published.P_i.forEach((v: number, i: number) => expectPublished(r.Pi[i], v, `P_${i}`));
    f.published.p_j.forEach((v: number, j: number) => expectPublished(r.pj[j], v, `p_${j}`));
    expectR(r.kappa, o.kappa, 'kappa');
    expectR(r.se0, o.se0, 'se0');
    expectR(r.z, o.z, 'z');
    o.kappa_j.forEach((v: number, j: number) => {
      expectR(r.perCategory[j].kappa!, v, `kappa_${j}`);
      expectR(r.perCategory[j].se0, o.se0_j, `se0_${j}`);
      expectR(r.perCategory[j].z!, o.z_j[j], `z_${j}`);
    });
  });
});

describe("Krippendorff's alpha", () => {
  for (const [name, levels] of [['krippendorff_2011_C', ['nominal', 'ordinal', 'interval', 'ratio']], ['krippendorff_wikipedia', ['nominal', 'ordinal', 'interval', 'ratio']]] as const) {
    it(`${name}: all four levels, Do, De (missing data)`, () => {
      const f = fixture(name);
      const units = transpose(f.reliability_data as (number | null)[][]);
      for (const level of levels) {
        const r = krippendorffAlpha(units, { level });
        const o = f.r_oracle.base[level];
        expectR(r.alpha, o.alpha, `${level} alpha`);
        expectR(r.Do, o.Do, `${level} Do`);
        expectR(r.De, o.De, `${level} De`);
        expectR(r.alpha, f.r_oracle.irr_kripp_alpha[level], `${level} irr`);
        const pub = f.published[`alpha_${level}`];
        if (pub !== undefined) expectPublished(r.alpha, pub, `${level} published`);
        if (o.n_c) o.n_c.forEach((v: number, j: number) => expectR(r.nc[j], v, `n_c[${j}]`));
      }
      if (f.r_oracle.coincidence_matrix) {
        const r = krippendorffAlpha(units);
        f.r_oracle.coincidence_matrix.forEach((row: number[], i: number) => row.forEach((v, j) => expectR(r.coincidence[i][j], v, `o[${i}][${j}]`)));
        expect(r.n).toBeCloseTo(f.published.pairable_values_n, 10);
      }
    });
  }
});

describe("Kendall's W, Spearman, Kendall tau-b, Pearson", () => {
  const f = fixture('kendall_w_and_rank_correlations');
  it('W with and without tie correction, Friedman chi-square (irr::kendall, friedman.test)', () => {
    for (const [data, c, u, fr] of [
      [f.anxiety_ratings, f.r_oracle.anxiety_W_tie_corrected, f.r_oracle.anxiety_W_uncorrected, f.r_oracle.anxiety_friedman],
      [f.shrout_fleiss_ratings, f.r_oracle.sf_W_tie_corrected, f.r_oracle.sf_W_uncorrected, null],
    ]) {
      const rc = kendallW(data);
      const ru = kendallW(data, { correctTies: false });
      for (const [r, o] of [[rc, c], [ru, u]] as const) {
        expectR(r.W, o.W, 'W');
        expectR(r.S, o.S, 'S');
        expectR(r.ties, o.ties_T, 'T');
        expectR(r.chisq, o.chisq, 'chisq');
        expect(r.df).toBe(o.df);
        expectR(r.p, o.p, 'p');
      }
      if (fr) {
        expectR(rc.chisq, fr.chisq, 'friedman');
        expectR(rc.p, fr.p, 'friedman p');
      }
    }
    expectR(kendallW(f.anxiety_ratings).W, f.r_oracle.irr_kendall.anxiety_correct.W, 'irr');
    expectR(kendallW(f.shrout_fleiss_ratings).p, f.r_oracle.irr_kendall.sf_correct.p, 'irr sf p');
  });
  it('pairwise rank correlations with ties (cor.test)', () => {
    const col = (j: number) => f.anxiety_ratings.map((r: number[]) => r[j]);
    for (const [a, b, key] of [[0, 1, 'rater1_vs_rater2'], [0, 2, 'rater1_vs_rater3'], [1, 2, 'rater2_vs_rater3']] as const) {
      const o = f.r_oracle.anxiety_pairwise[key];
      const s = spearman(col(a), col(b));
      const k = kendallTauB(col(a), col(b));
      expectR(s.estimate, o.spearman_rho, `${key} rho`);
      expectR(s.p, o.spearman_p, `${key} rho p`);
      expectR(k.estimate, o.kendall_tau_b, `${key} tau`);
      expectR(k.statistic, o.kendall_z, `${key} z`);
      expectR(k.p, o.kendall_p, `${key} tau p`);
      expectR(pearson(col(a), col(b)).estimate, o.pearson_r, `${key} r`);
    }
  });
  it('PEFR: Pearson CI, Spearman (t approximation), Kendall', () => {
    const c = fixture('ccc_pefr');
    const o = c.r_oracle;
    const p = pearson(c.x, c.y);
    expectR(p.estimate, o.pearson.r, 'r');
    expectR(p.lower!, o.pearson.ci95[0], 'lower');
    expectR(p.upper!, o.pearson.ci95[1], 'upper');
    expectR(p.p, o.pearson.p, 'p');
    expectR(spearman(c.x, c.y).estimate, o.spearman.rho, 'rho');
    expectR(spearman(c.x, c.y).p, o.spearman.p_asymptotic_t, 'rho p');
    expectR(kendallTauB(c.x, c.y).estimate, o.kendall_tau_b.tau, 'tau');
    expectR(kendallTauB(c.x, c.y).statistic, o.kendall_tau_b.z, 'z');
    expectR(kendallTauB(c.x, c.y).p, o.kendall_tau_b.p, 'tau p');
  });
});

describe("Lin's CCC (epiR::epi.ccc)", () => {
  it('PEFR wright1 vs mini1', () => {
    const c = fixture('ccc_pefr');
    const r = linCcc(c.x, c.y);
    const o = c.r_oracle.base;
    expectR(r.ccc, o.ccc, 'ccc');
    expectR(r.pearsonR, o.pearson_r, 'r');
    expectR(r.Cb, o.Cb, 'Cb');
    expectR(r.scaleShift, o.scale_shift_v, 'v');
    expectR(r.locationShift, o.location_shift_u, 'u');
    expectR(r.se, o.se, 'se');
    expectR(r.ciAsymptotic[0], o.ci_asymptotic[0], 'asym lo');
    expectR(r.ciAsymptotic[1], o.ci_asymptotic[1], 'asym hi');
    expectR(r.lower, c.r_oracle.epiR_ztransform.lower, 'z lo');
    expectR(r.upper, c.r_oracle.epiR_ztransform.upper, 'z hi');
    expectR(r.Cb, c.r_oracle['epiR_C.b'], 'epiR Cb');
    // epiR orients its shifts the other way round (y relative to x)
    expectR(1 / r.scaleShift, c.r_oracle['epiR_s.shift'], 'epiR s.shift');
    expectR(-r.locationShift, c.r_oracle['epiR_l.shift'], 'epiR l.shift');
  });
});

describe('Bland–Altman (1986) PEFR', () => {
  const f = fixture('bland_altman_1986_pefr');
  const col = (j: number) => f.rows.map((r: number[]) => r[j]);
  const wright = col(1);
  const mini = col(3);
  it('published: bias −2.1, SD 38.8, ±2 SD limits (paper rounded d̄ and s first: ±0.1), analyse-it ±1.96 SD', () => {
    const r = blandAltman(wright, mini, { multiplier: 2 });
    expectPublished(r.meanDiff, f.published.mean_diff);
    expectPublished(r.sdDiff, f.published.sd_diff);
    expect(Math.abs(r.loa[0] - f.published.loa_2sd[0])).toBeLessThanOrEqual(0.1);
    expect(Math.abs(r.loa[1] - f.published.loa_2sd[1])).toBeLessThanOrEqual(0.1);
    const a = blandAltman(mini, wright);
    expectPublished(a.meanDiff, f.published.analyse_it_mini_minus_wright_1_96sd?.mean_diff ?? f.published['analyse_it_mini_minus_wright_1.96sd'].mean_diff);
    expectPublished(a.loa[0], f.published['analyse_it_mini_minus_wright_1.96sd'].loa[0]);
    expectPublished(a.loa[1], f.published['analyse_it_mini_minus_wright_1.96sd'].loa[1]);
  });
  for (const [key, a, b, mult] of [
    ['wright_minus_mini_2sd', 1, 3, 2],
    ['wright_minus_mini_1.96sd', 1, 3, undefined],
    ['mini_minus_wright_1.96sd', 3, 1, undefined],
  ] as const) {
    it(`R oracle ${key}: limits, bias CI, 1986/1999/exact LoA CIs`, () => {
      const o = f.r_oracle[key];
      const r = blandAltman(col(a), col(b), { multiplier: mult });
      expect(r.n).toBe(o.n);
      expectR(r.meanDiff, o.mean_diff, 'mean');
      expectR(r.sdDiff, o.sd_diff, 'sd');
      expectR(r.multiplier, o.multiplier, 'multiplier');
      expectR(r.loa[0], o.loa[0], 'loa lo');
      expectR(r.loa[1], o.loa[1], 'loa hi');
      expectR(r.tQuantile, o.t_quantile, 't');
      expectR(r.ciBias[0], o.ci_bias[0], 'bias lo');
      expectR(r.ciBias[1], o.ci_bias[1], 'bias hi');
      expectR(r.seLoa1986, o.se_loa_1986, 'se86');
      expectR(r.seLoa, o.se_loa_1999, 'se99');
      for (const [mine, theirs] of [
        [r.ciLowerLoa1986, o.ci_lower_loa_1986],
        [r.ciUpperLoa1986, o.ci_upper_loa_1986],
        [r.ciLowerLoa, o.ci_lower_loa_1999],
        [r.ciUpperLoa, o.ci_upper_loa_1999],
        [r.ciLowerLoaExact, o.ci_lower_loa_exact],
        [r.ciUpperLoaExact, o.ci_upper_loa_exact],
      ]) {
        expectR(mine[0], theirs[0], `${key} ci lo`);
        expectR(mine[1], theirs[1], `${key} ci hi`);
      }
    });
  }
  it('epiR::epi.ccc Bland–Altman block and the unverified 1986 CI recollection (±0.5 at 1 d.p. from rounding)', () => {
    const r = blandAltman(wright, mini);
    const e = f.r_oracle.epiR_epi$ccc_sblalt ?? f.r_oracle['epiR_epi.ccc_sblalt'];
    expectR(r.meanDiff, e.est, 'est');
    expectR(r.sdDiff, e['delta.sd'], 'sd');
    expectR(r.loa[0], e.lower, 'lower');
    expectR(r.loa[1], e.upper, 'upper');
    const r2 = blandAltman(wright, mini, { multiplier: 2 });
    const u = f.published.unverified_recollection_of_1986_CIs;
    expect(Math.abs(r2.ciBias[0] - u.ci_bias[0])).toBeLessThan(0.1);
    expect(Math.abs(r2.ciLowerLoa1986[0] - u.ci_lower_loa[0])).toBeLessThan(0.2);
    expect(Math.abs(r2.ciUpperLoa1986[1] - u.ci_upper_loa[1])).toBeLessThan(0.2);
  });
  it('large n (600 pairs): the exact LoA CI stays finite (R pnt normal approximation past the series range) and close to the 1999 CI', () => {
    const a = Array.from({ length: 600 }, (_, i) => 100 + (i % 37) * 3 + ((i * 7919) % 13));
    const b = a.map((v, i) => v + ((i * 104729) % 17) - 8);
    const r = blandAltman(a, b);
    for (const [ex, ap] of [[r.ciLowerLoaExact, r.ciLowerLoa], [r.ciUpperLoaExact, r.ciUpperLoa]]) {
      expect(Number.isFinite(ex[0]) && Number.isFinite(ex[1])).toBe(true);
      expect(Math.abs(ex[0] - ap[0])).toBeLessThan(0.05 * r.sdDiff);
      expect(Math.abs(ex[1] - ap[1])).toBeLessThan(0.05 * r.sdDiff);
    }
  });
  it('repeatability (each meter against itself)', () => {
    const rw = blandAltman(col(1), col(2));
    const rm = blandAltman(col(3), col(4));
    expectR(rw.sdDiff, f.r_oracle.repeatability.wright.sd_diff, 'wright sd');
    expectR(rw.meanDiff, f.r_oracle.repeatability.wright.mean_diff, 'wright mean');
    expectR(rm.sdDiff, f.r_oracle.repeatability.mini.sd_diff, 'mini sd');
    expectR(rm.meanDiff, f.r_oracle.repeatability.mini.mean_diff, 'mini mean');
  });
  it('proportional bias: slope of difference on mean matches an OLS fit computed here by normal equations', () => {
    // ground truth constructed by the test: d = 5 + 0.1·mean exactly plus orthogonal noise → slope 0.1
    const m = Array.from({ length: 40 }, (_, i) => 100 + 5 * i);
    const noise = m.map((_, i) => (i % 2 === 0 ? 1 : -1) * (i % 4 < 2 ? 1 : -1));
    const d = m.map((v, i) => 5 + 0.1 * v + noise[i]);
    const a = m.map((v, i) => v + d[i] / 2);
    const b = m.map((v, i) => v - d[i] / 2);
    const r = blandAltman(a, b);
    expect(r.proportionalBias.slope).toBeCloseTo(0.1, 2);
    expect(r.proportionalBias.p).toBeLessThan(1e-6);
    expect(r.proportionalBias.ciSlope[0]).toBeLessThan(0.1);
    expect(r.proportionalBias.ciSlope[1]).toBeGreaterThan(0.1);
  });
});
