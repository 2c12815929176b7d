/*
 * eum_pow.c -- see eum_pow.h.
 *
 * Prefixes: ent_eum_pow_
 *
 * Why the bits are glibc's.  glibc's pow (2.28 and later, Debian 12 has
 * 2.36; sysdeps/ieee754/dbl-64/e_pow.c) documents its worst-case error in
 * round-to-nearest as 0.54 ULP (0.509 ULP of its exp plus 1024 ln2 times
 * the 1.3 2^-68 relative error of its log, in ULPs).  Let z = x^y exactly,
 * D the double nearest z and delta the distance from z to the nearest
 * rounding midpoint, in ULPs of z's binade.  Every double other than D is
 * at least 1/2 + delta from z; so if delta > 0.04, glibc's result, within
 * 0.54 of z, is D.  The vector code below computes a = H + tail, a
 * double-double with |a - z| <= E ULP (E below), and its rounding h = RN(a)
 * with the exact remainder l = a - h.  The lane is kept only if
 * |l| < (1/2 - POW_MARGIN) ULP(h) and h is not a power of two (where the
 * ULP below h is half the ULP above).  Then a lies more than POW_MARGIN
 * from every midpoint, z more than POW_MARGIN - E, and with POW_MARGIN =
 * 0.05 + 2^-12 > 0.04 + E that is more than 0.04 ULP + 0.01 ULP of
 * safety: h = D = glibc's pow.  Every other lane calls pow.
 *
 * The method (x in [2^-100, 2^100], y in [1/4, 4]; else pow):
 *   log x = k ln2 - log c_i + log1p(r),  x = 2^k m, m in [0.707, 1.414),
 *     i = 7 bits of m, c_i ~ 1/m (a double), r = m c_i - 1 exactly as a
 *     double-double (FMA), |r| < 2^-8; log1p(r) = r - r^2/2 (double-
 *     double) + r^3 (1/3 - r/4 + ... - r^5/8) (double; the Taylor
 *     remainder is below |r|^9/9/(1-|r|) < 2^-75).
 *   Y = y log x as a double-double (FMA).
 *   exp Y = 2^(kk/128) exp(s), kk = round(Y 128/ln2), s = Y - kk ln2/128
 *     as a double-double (ln2/128 in two parts, the first of 36 bits so
 *     kk C1 is exact for |kk| < 2^16; |ln2/128 - C1 - C2| < 2^-99),
 *     |s| < 2^-8.4; exp(s) - 1 = s + s^2/2 (double-double) + s^3 (1/6 +
 *     ... + s^4/5040) (double; remainder < 2^-83); 2^(j/128) as a
 *     double-double from the table.
 * Error bound.  The tables are -log c_i and 2^(j/128) rounded to double-
 * doubles (relative error < 2^-104) and the polynomials' remainders are
 * above; every other operation is exact (two-sum, two-product by FMA,
 * Sterbenz) but the additions of the low parts and the two double-
 * precision polynomial tails.  log x is renormalised (two-sum) before
 * the product with y, s before its polynomial, so the low parts left out
 * of the polynomials' tails weigh below 2^-70 of a ULP.  The absolute
 * error of log x is below 2^-74.5 (remainder 2^-75.2, the tail |r^3 p(r)|
 * < 2^-25 rounded about 3 times at 2^-78, |k ln2_lo| < 2^-37 rounded at
 * 2^-90, the lower parts at 2^-89); times |y| <= 4 and with y log x's own
 * roundings (< 2^-97) the error of Y is below 2^-72.4; that of exp(s) is
 * below 2^-77, so |a/z - 1| < 2^-72 and E < 2^-72 2^53 ULP = 2^-19 ULP;
 * POW_MARGIN allows 2^-12, 128 times that.
 * The unit test (tests/unit/test_eum_pow.c) compares 10^8 seeded random
 * pairs and constructed near-midpoint cases with glibc's pow bit for bit;
 * the largest error measured against __float128 powq was 2^-72.9.
 *
 * The tables below were computed with Python's decimal module at 60
 * digits (docs/performance.md, "Eighth round"): c_i = RN(2 / (lo_i +
 * hi_i)) for the i-th interval of m, pow_lh/pow_ll = -log c_i, pow_eh/
 * pow_el = 2^(j/128), each hi = RN(v), lo = RN(v - hi).  The unit test
 * checks them against long double logl/exp2l.
 */
#include "strategic/eum_pow.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define POW_X86 1
#include <immintrin.h>
#ifdef ENT_HAVE_X86_PLATFORM_H
#include <sys/platform/x86.h>
#endif
#else
#define POW_X86 0
#endif

/* see the header comment: 0.04 ULP (glibc) + 0.01 ULP (safety) + 2^-12
 * (this code's error, below 2^-19) */
#define POW_MARGIN (0.05 + 0x1p-12)
/* m's intervals start at 0x1.6ap-1 ~ 0.707 */
#define POW_OFF 0x3fe6a00000000000ull
/* arguments per call of a kernel loop */
#define EUM_POW_BATCH 512
#define POW_LN2_HI 0x1.62e42fefa3800p-1
#define POW_LN2_LO 0x1.ef35793c76730p-45
#define POW_C1 0x1.62e42fefa0000p-8
#define POW_C2 0x1.cf79abc9e3b3ap-47
#define POW_INV 0x1.71547652b82fep+7
static const double pow_c[128] = {
  0x1.691473a88d0c0p+0, 0x1.6719f3601671ap+0, 0x1.6524f853b4aa4p+0,
  0x1.63356b88ac0dep+0, 0x1.614b36831ae94p+0, 0x1.5f66434292dfcp+0,
  0x1.5d867c3ece2a6p+0, 0x1.5babcc647fa92p+0, 0x1.59d61f123ccabp+0,
  0x1.5805601580561p+0, 0x1.56397ba7c52e2p+0, 0x1.54725e6bb82fep+0,
  0x1.52aff56a8054bp+0, 0x1.50f22e111c4c6p+0, 0x1.4f38f62dd4c9bp+0,
  0x1.4d843bedc2c4cp+0, 0x1.4bd3edda68fe1p+0, 0x1.4a27fad76014bp+0,
  0x1.4880522014881p+0, 0x1.46dce34596067p+0, 0x1.453d9e2c776cap+0,
  0x1.43a2730abee4ep+0, 0x1.420b5265e5952p+0, 0x1.40782d10e6566p+0,
  0x1.3ee8f42a5af07p+0, 0x1.3d5d991aa75c6p+0, 0x1.3bd60d9232955p+0,
  0x1.3a524387ac823p+0, 0x1.38d22d366088ep+0, 0x1.3755bd1c945eep+0,
  0x1.35dce5f9f2af8p+0, 0x1.34679ace01347p+0, 0x1.32f5ced6a1dfap+0,
  0x1.3187758e9ebb6p+0, 0x1.301c82ac40261p+0, 0x1.2eb4ea1fed14bp+0,
  0x1.2d50a012d50a0p+0, 0x1.2bef98e5a3711p+0, 0x1.2a91c92f3c106p+0,
  0x1.293725bb804a5p+0, 0x1.27dfa38a1ce4ep+0, 0x1.268b37cd60127p+0,
  0x1.2539d7e9177b2p+0, 0x1.23eb79717605cp+0, 0x1.22a0122a0122ap+0,
  0x1.21579804855e6p+0, 0x1.2012012012012p+0, 0x1.1ecf43c7fb84cp+0,
  0x1.1d8f5672e4abdp+0, 0x1.1c522fc1ce059p+0, 0x1.1b17c67f2bae3p+0,
  0x1.19e0119e0119ep+0, 0x1.18ab083902bdbp+0, 0x1.1778a191bd684p+0,
  0x1.1648d50fc3201p+0, 0x1.151b9a3fdd5c9p+0, 0x1.13f0e8d344724p+0,
  0x1.12c8b89edc0acp+0, 0x1.11a3019a74827p+0, 0x1.107fbbe011080p+0,
  0x1.0f5edfab325a2p+0, 0x1.0e40655826011p+0, 0x1.0d24456359e3ap+0,
  0x1.0c0a7868b4171p+0, 0x1.0af2f722eecb6p+0, 0x1.09ddba6af8360p+0,
  0x1.08cabb37565e2p+0, 0x1.07b9f29b8eae2p+0, 0x1.06ab59c7912fcp+0,
  0x1.059eea0727587p+0, 0x1.04949cc1664c6p+0, 0x1.038c6b78247fcp+0,
  0x1.02864fc7729e9p+0, 0x1.0182436517a38p+0, 0x1.0080402010081p+0,
  0x1.fe01fe01fe021p-1, 0x1.fa11caa01fa13p-1, 0x1.f6310aca0dbb6p-1,
  0x1.f25f644230ab6p-1, 0x1.ee9c7f8458e03p-1, 0x1.eae807aba01ecp-1,
  0x1.e741aa59750e5p-1, 0x1.e3a9179dc1a74p-1, 0x1.e01e01e01e01fp-1,
  0x1.dca01dca01dcbp-1, 0x1.d92f2231e7f8bp-1, 0x1.d5cac807572b3p-1,
  0x1.d272ca3fc5b1bp-1, 0x1.cf26e5c44bfc7p-1, 0x1.cbe6d9601cbe8p-1,
  0x1.c8b265afb8a43p-1, 0x1.c5894d10d4987p-1, 0x1.c26b5392ea01dp-1,
  0x1.bf583ee868d8cp-1, 0x1.bc4fd65883e7cp-1, 0x1.b951e2b18ff24p-1,
  0x1.b65e2e3beee06p-1, 0x1.b37484ad806cfp-1, 0x1.b094b31d922a5p-1,
  0x1.adbe87f94905fp-1, 0x1.aaf1d2f87ebfdp-1, 0x1.a82e65130e159p-1,
  0x1.a574107688a4bp-1, 0x1.a2c2a87c51ca1p-1, 0x1.a01a01a01a01bp-1,
  0x1.9d79f176b682ep-1, 0x1.9ae24ea5510dbp-1, 0x1.9852f0d8ec100p-1,
  0x1.95cbb0be377aep-1, 0x1.934c67f9b2ce7p-1, 0x1.90d4f120190d6p-1,
  0x1.8e6527af13740p-1, 0x1.8bfce8062ff3bp-1, 0x1.899c0f601899dp-1,
  0x1.87427bcc092bap-1, 0x1.84f00c2780614p-1, 0x1.82a4a0182a4a1p-1,
  0x1.8060180601807p-1, 0x1.7e225515a4f1ep-1, 0x1.7beb3922e017cp-1,
  0x1.79baa6bb6398cp-1, 0x1.77908119ac60ep-1, 0x1.756cac201756dp-1,
  0x1.734f0c541fe8dp-1, 0x1.713786d9c7c09p-1, 0x1.6f26016f26017p-1,
  0x1.6d1a62681c861p-1, 0x1.6b1490aa31a3dp-1,
};
static const double pow_lh[128] = {
  -0x1.602d08af091ecp-2, -0x1.5a8cadbbedfa1p-2, -0x1.54f431b7be1abp-2,
  -0x1.4f637ebba9810p-2, -0x1.49da7f3bcc420p-2, -0x1.44591e0539f49p-2,
  -0x1.3edf463c16841p-2, -0x1.396ce359bbf56p-2, -0x1.3401e12aecba3p-2,
  -0x1.2e9e2bce12289p-2, -0x1.2941afb186b7cp-2, -0x1.23ec5991eba49p-2,
  -0x1.1e9e1678899f5p-2, -0x1.1956d3b9bc2fcp-2, -0x1.14167ef367784p-2,
  -0x1.0edd060b78082p-2, -0x1.09aa572e6c6d4p-2, -0x1.047e60cde83bap-2,
  -0x1.feb2233ea07d1p-3, -0x1.f474b134df22ep-3, -0x1.ea4449f04aaf5p-3,
  -0x1.e020cc6235abbp-3, -0x1.d60a17f90351ap-3, -0x1.cc000c9db3c52p-3,
  -0x1.c2028ab17f9b5p-3, -0x1.b811730b823d4p-3, -0x1.ae2ca6f672bd8p-3,
  -0x1.a454082e6ab09p-3, -0x1.9a8778debaa3ap-3, -0x1.90c6db9fcbcdbp-3,
  -0x1.871213750e994p-3, -0x1.7d6903caf5ad3p-3, -0x1.73cb9074fd14dp-3,
  -0x1.6a399dabbd383p-3, -0x1.60b3100b0947bp-3, -0x1.5737cc9018cddp-3,
  -0x1.4dc7b897bc1c7p-3, -0x1.4462b9dc9b3dcp-3, -0x1.3b08b6757f2aep-3,
  -0x1.31b994d3a4f86p-3, -0x1.28753bc11aba9p-3, -0x1.1f3b925f25d44p-3,
  -0x1.160c8024b27b0p-3, -0x1.0ce7ecdccc292p-3, -0x1.03cdc0a51ec0dp-3,
  -0x1.f57bc7d9005dbp-4, -0x1.e3707ee30487bp-4, -0x1.d179788219362p-4,
  -0x1.bf968769fca18p-4, -0x1.adc77ee5aea8ep-4, -0x1.9c0c32d4d254dp-4,
  -0x1.8a6477a91dc29p-4, -0x1.78d02263d82d7p-4, -0x1.674f089365a78p-4,
  -0x1.55e10050e0382p-4, -0x1.4485e03dbdfb0p-4, -0x1.333d7f8183f4ap-4,
  -0x1.2207b5c7854a1p-4, -0x1.10e45b3cae838p-4, -0x1.ffa6911ab9309p-5,
  -0x1.dda8adc67ee59p-5, -0x1.bbcebfc68f424p-5, -0x1.9a187b573de81p-5,
  -0x1.788595a3577c8p-5, -0x1.5715c4c03cf00p-5, -0x1.35c8bfaa13069p-5,
  -0x1.149e3e4005a8dp-5, -0x1.e72bf2813ce6ap-6, -0x1.a55f548c5c466p-6,
  -0x1.63d6178690bfcp-6, -0x1.228fb1fea2e49p-6, -0x1.c317384c75f0dp-7,
  -0x1.41929f968330cp-7, -0x1.8121214586c00p-8, -0x1.0040155d58a1dp-9,
  0x1.ff00aa2b10a9fp-9, 0x1.7dc475f810a29p-7, 0x1.3cea44346a563p-6,
  0x1.b9fc027af9179p-6, 0x1.1b0d98923d96ep-5, 0x1.58a5bafc8e4c2p-5,
  0x1.95c830ec8e3e1p-5, 0x1.d276b8adb0b45p-5, 0x1.075983598e469p-4,
  0x1.253f62f0a140ep-4, 0x1.42edcbea646e5p-4, 0x1.60658a93750bbp-4,
  0x1.7da766d7b12c7p-4, 0x1.9ab42462033a5p-4, 0x1.b78c82bb0ed97p-4,
  0x1.d4313d66cb354p-4, 0x1.f0a30c011629bp-4, 0x1.0671512ca596ap-3,
  0x1.14785846742a7p-3, 0x1.2266f190a5ac8p-3, 0x1.303d718e47fd0p-3,
  0x1.3dfc2b0ecc626p-3, 0x1.4ba36f39a55e0p-3, 0x1.59338d9982081p-3,
  0x1.66acd4272ad4cp-3, 0x1.740f8f54037a3p-3, 0x1.815c0a14357e9p-3,
  0x1.8e928de886d3cp-3, 0x1.9bb362e7dfb80p-3, 0x1.a8becfc882f14p-3,
  0x1.b5b519e8fb5a1p-3, 0x1.c2968558c18bdp-3, 0x1.cf6354e09c5d8p-3,
  0x1.dc1bca0abec7bp-3, 0x1.e8c0252aa5a5bp-3, 0x1.f550a564b7b32p-3,
  0x1.00e6c45ad501ap-2, 0x1.071b85fcd590bp-2, 0x1.0d46b579ab749p-2,
  0x1.136870293a8aep-2, 0x1.1980d2dd4236fp-2, 0x1.1f8ff9e48a2f0p-2,
  0x1.2596010df7637p-2, 0x1.2b9303ab89d22p-2, 0x1.31871c9544185p-2,
  0x1.3772662bfd859p-2, 0x1.3d54fa5c1f70dp-2, 0x1.432ef2a04e813p-2,
  0x1.49006804009d0p-2, 0x1.4ec9732600269p-2, 0x1.548a2c3add263p-2,
  0x1.5a42ab0f4cfe2p-2, 0x1.5ff3070a793d4p-2,
};
static const double pow_ll[128] = {
  -0x1.a45db7cfd9230p-56, -0x1.64f5081307f22p-60, 0x1.959fb77b5722dp-57,
  0x1.68cb3124b9245p-56, 0x1.d964a168ccacbp-57, -0x1.a76d6dc2782dap-59,
  0x1.2c297f2c3ef7ep-56, 0x1.8e2b31b31e8b8p-58, -0x1.a95523adc5c9ap-57,
  0x1.11f6b9711f09ep-56, -0x1.6a4678ebaa300p-59, -0x1.76eba35bbf0dfp-61,
  -0x1.64b0dd2687939p-58, -0x1.ae75a3542856dp-58, -0x1.ef824daaf53e9p-56,
  -0x1.2d4b610d7d4f5p-57, -0x1.f9e17343426a9p-56, -0x1.70869cbf9e341p-56,
  -0x1.08de00938b4c0p-57, -0x1.b838821289544p-58, 0x1.f33919ab94074p-57,
  0x1.415b722847e3fp-58, -0x1.f207be58e47ebp-61, -0x1.67a2a8500729ep-58,
  -0x1.c11aa3853a5f0p-57, 0x1.d7c46328983c6p-58, 0x1.a4a356155f779p-57,
  -0x1.1f903ee2e1a5fp-57, -0x1.28fbfb0e3f0fcp-58, 0x1.357718d7ca4cfp-58,
  0x1.a97a0ca115d60p-57, -0x1.84e83cfe291ebp-57, 0x1.721a000b4cf01p-57,
  -0x1.76332bd4b341fp-57, -0x1.09b3b83f5fd0fp-59, 0x1.00b28ef013c72p-57,
  -0x1.b60ae1ff0e82ep-59, 0x1.85388d830c709p-59, -0x1.9c35b37c1498ep-58,
  0x1.1238b5efe0665p-57, 0x1.c394d9fa33315p-57, -0x1.08b27be4e6b15p-57,
  0x1.355bfd870afebp-59, -0x1.5b57fea88da7dp-59, -0x1.19e2d3f8b7d10p-57,
  0x1.d361574fb24e2p-58, -0x1.9399d9aaf3b33p-59, 0x1.b12841044a96cp-58,
  0x1.06e4fb7af9c69p-58, -0x1.d7d8f39bee658p-58, 0x1.627a0e199f569p-58,
  0x1.3d4190a482421p-58, -0x1.cbca5b4fdb87ep-58, -0x1.ca64e9980e048p-59,
  -0x1.9a0629e3973e4p-58, -0x1.3ba349aadbc6dp-58, 0x1.adaa06e211e9ep-59,
  -0x1.b3f0431efb154p-58, -0x1.7b5ed72e6d973p-58, 0x1.cd9f1f95c2ef1p-59,
  0x1.31936790bb3b2p-59, 0x1.cd1862f854848p-59, -0x1.b13b26f298a6ap-64,
  -0x1.2f7c4c5b3c8bdp-62, -0x1.101dc4ebf9183p-63, 0x1.50830a65543a8p-63,
  0x1.a9a4168fcebebp-60, 0x1.8a4bba6a354fap-60, 0x1.84f9681e4afb0p-60,
  -0x1.6712b2ca83609p-60, -0x1.9424c8ff1ea6ep-64, -0x1.806208c04c21fp-61,
  -0x1.3aae809b43dd0p-61, -0x1.c14b9f93772e4p-65, 0x1.8f98e1113fcf7p-65,
  0x1.2821ad5a6d499p-63, -0x1.8b6bb43e9ef31p-61, 0x1.79a52b7ea6306p-61,
  -0x1.10ae69229dc68p-60, 0x1.2ca2eec8a774bp-61, 0x1.31aa3d4b1d4a3p-59,
  0x1.b5a0e80520bf8p-59, 0x1.478f14c95ff5cp-59, -0x1.1f92d6661dd1bp-58,
  0x1.c3eda69c03b39p-58, 0x1.dd4f935996e8ap-63, 0x1.3bdd389ef24fep-61,
  0x1.b11203226bed3p-58, -0x1.82678706139fap-61, -0x1.bde1cc3f3605ep-59,
  0x1.d90dd951d9104p-58, 0x1.4be64b8b775b9p-59, 0x1.386323f5c3250p-57,
  0x1.e28813e3a7f0dp-57, -0x1.2ae1039fd85d1p-59, -0x1.16b9c7d960916p-59,
  -0x1.eb3a8e7d8100fp-58, -0x1.8ecfc86793145p-58, -0x1.62e9155456be1p-57,
  0x1.16ff1b1e15759p-58, 0x1.6d9bf9d57b326p-58, 0x1.141b7f8c5fa9ep-58,
  0x1.b2c4f5cb5312ap-58, -0x1.c50e707fe0f88p-60, -0x1.08c37918c39dfp-58,
  -0x1.a5d8023e61e5cp-57, 0x1.e108e3ae024c2p-60, 0x1.239a07d55b699p-57,
  0x1.c698a33316dfbp-58, -0x1.1701d1cdfe441p-58, -0x1.83a09202fe735p-57,
  0x1.1a354b80480adp-56, -0x1.d3a3e01a1085dp-56, -0x1.4609bf1e1a134p-56,
  -0x1.b499d67122db2p-56, -0x1.02c2e4f1b2eb9p-56, 0x1.3c040cbe769f9p-57,
  0x1.24224ea3e285cp-56, 0x1.cd29404f5aa5dp-57, -0x1.ea3598981366fp-57,
  0x1.a953ac4fdd044p-56, 0x1.6cd9a395e3676p-56, -0x1.83262e2b59206p-57,
  -0x1.bff0d07c5df6dp-59, -0x1.1aa87d977dc5ep-56, -0x1.58ce7bf1846eep-56,
  -0x1.c6bcb7dee9a3dp-56, -0x1.063077d7e37b7p-56,
};
static const double pow_eh[128] = {
  0x1.0000000000000p+0, 0x1.0163da9fb3335p+0, 0x1.02c9a3e778061p+0,
  0x1.04315e86e7f85p+0, 0x1.059b0d3158574p+0, 0x1.0706b29ddf6dep+0,
  0x1.0874518759bc8p+0, 0x1.09e3ecac6f383p+0, 0x1.0b5586cf9890fp+0,
  0x1.0cc922b7247f7p+0, 0x1.0e3ec32d3d1a2p+0, 0x1.0fb66affed31bp+0,
  0x1.11301d0125b51p+0, 0x1.12abdc06c31ccp+0, 0x1.1429aaea92de0p+0,
  0x1.15a98c8a58e51p+0, 0x1.172b83c7d517bp+0, 0x1.18af9388c8deap+0,
  0x1.1a35beb6fcb75p+0, 0x1.1bbe084045cd4p+0, 0x1.1d4873168b9aap+0,
  0x1.1ed5022fcd91dp+0, 0x1.2063b88628cd6p+0, 0x1.21f49917ddc96p+0,
  0x1.2387a6e756238p+0, 0x1.251ce4fb2a63fp+0, 0x1.26b4565e27cddp+0,
  0x1.284dfe1f56381p+0, 0x1.29e9df51fdee1p+0, 0x1.2b87fd0dad990p+0,
  0x1.2d285a6e4030bp+0, 0x1.2ecafa93e2f56p+0, 0x1.306fe0a31b715p+0,
  0x1.32170fc4cd831p+0, 0x1.33c08b26416ffp+0, 0x1.356c55f929ff1p+0,
  0x1.371a7373aa9cbp+0, 0x1.38cae6d05d866p+0, 0x1.3a7db34e59ff7p+0,
  0x1.3c32dc313a8e5p+0, 0x1.3dea64c123422p+0, 0x1.3fa4504ac801cp+0,
  0x1.4160a21f72e2ap+0, 0x1.431f5d950a897p+0, 0x1.44e086061892dp+0,
  0x1.46a41ed1d0057p+0, 0x1.486a2b5c13cd0p+0, 0x1.4a32af0d7d3dep+0,
  0x1.4bfdad5362a27p+0, 0x1.4dcb299fddd0dp+0, 0x1.4f9b2769d2ca7p+0,
  0x1.516daa2cf6642p+0, 0x1.5342b569d4f82p+0, 0x1.551a4ca5d920fp+0,
  0x1.56f4736b527dap+0, 0x1.58d12d497c7fdp+0, 0x1.5ab07dd485429p+0,
  0x1.5c9268a5946b7p+0, 0x1.5e76f15ad2148p+0, 0x1.605e1b976dc09p+0,
  0x1.6247eb03a5585p+0, 0x1.6434634ccc320p+0, 0x1.6623882552225p+0,
  0x1.68155d44ca973p+0, 0x1.6a09e667f3bcdp+0, 0x1.6c012750bdabfp+0,
  0x1.6dfb23c651a2fp+0, 0x1.6ff7df9519484p+0, 0x1.71f75e8ec5f74p+0,
  0x1.73f9a48a58174p+0, 0x1.75feb564267c9p+0, 0x1.780694fde5d3fp+0,
  0x1.7a11473eb0187p+0, 0x1.7c1ed0130c132p+0, 0x1.7e2f336cf4e62p+0,
  0x1.80427543e1a12p+0, 0x1.82589994cce13p+0, 0x1.8471a4623c7adp+0,
  0x1.868d99b4492edp+0, 0x1.88ac7d98a6699p+0, 0x1.8ace5422aa0dbp+0,
  0x1.8cf3216b5448cp+0, 0x1.8f1ae99157736p+0, 0x1.9145b0b91ffc6p+0,
  0x1.93737b0cdc5e5p+0, 0x1.95a44cbc8520fp+0, 0x1.97d829fde4e50p+0,
  0x1.9a0f170ca07bap+0, 0x1.9c49182a3f090p+0, 0x1.9e86319e32323p+0,
  0x1.a0c667b5de565p+0, 0x1.a309bec4a2d33p+0, 0x1.a5503b23e255dp+0,
  0x1.a799e1330b358p+0, 0x1.a9e6b5579fdbfp+0, 0x1.ac36bbfd3f37ap+0,
  0x1.ae89f995ad3adp+0, 0x1.b0e07298db666p+0, 0x1.b33a2b84f15fbp+0,
  0x1.b59728de5593ap+0, 0x1.b7f76f2fb5e47p+0, 0x1.ba5b030a1064ap+0,
  0x1.bcc1e904bc1d2p+0, 0x1.bf2c25bd71e09p+0, 0x1.c199bdd85529cp+0,
  0x1.c40ab5fffd07ap+0, 0x1.c67f12e57d14bp+0, 0x1.c8f6d9406e7b5p+0,
  0x1.cb720dcef9069p+0, 0x1.cdf0b555dc3fap+0, 0x1.d072d4a07897cp+0,
  0x1.d2f87080d89f2p+0, 0x1.d5818dcfba487p+0, 0x1.d80e316c98398p+0,
  0x1.da9e603db3285p+0, 0x1.dd321f301b460p+0, 0x1.dfc97337b9b5fp+0,
  0x1.e264614f5a129p+0, 0x1.e502ee78b3ff6p+0, 0x1.e7a51fbc74c83p+0,
  0x1.ea4afa2a490dap+0, 0x1.ecf482d8e67f1p+0, 0x1.efa1bee615a27p+0,
  0x1.f252b376bba97p+0, 0x1.f50765b6e4540p+0, 0x1.f7bfdad9cbe14p+0,
  0x1.fa7c1819e90d8p+0, 0x1.fd3c22b8f71f1p+0,
};
static const double pow_el[128] = {
  0x0.0p+0, 0x1.b61299ab8cdb7p-54, -0x1.19083535b085dp-56,
  -0x1.0a31c1977c96ep-54, 0x1.d73e2a475b465p-55, -0x1.c91dfe2b13c27p-55,
  0x1.186be4bb284ffp-57, 0x1.1487818316136p-54, 0x1.8a62e4adc610bp-54,
  0x1.01edc16e24f71p-54, 0x1.03a1727c57b53p-59, -0x1.b9bedc44ebd7bp-57,
  -0x1.6c51039449b3ap-54, -0x1.1b514b36ca5c7p-58, -0x1.32fbf9af1369ep-54,
  0x1.2406ab9eeab0ap-55, -0x1.19041b9d78a76p-55, -0x1.11023d1970f6cp-54,
  0x1.e5b4c7b4968e4p-55, -0x1.95386352ef607p-54, 0x1.e016e00a2643cp-54,
  -0x1.1df98027bb78cp-54, 0x1.dc775814a8495p-55, 0x1.2a97e9494a5eep-55,
  0x1.9b07eb6c70573p-54, 0x1.ac155bef4f4a4p-55, 0x1.2bd339940e9d9p-55,
  -0x1.a4c3a8c3f0d7ep-54, 0x1.612e8afad1255p-55, -0x1.10adcd6381aa4p-59,
  0x1.0024754db41d5p-54, 0x1.1ca0f45d52383p-56, 0x1.6f46ad23182e4p-55,
  0x1.a9ce78e18047cp-55, 0x1.32721843659a6p-54, -0x1.b5cee5c4e4628p-55,
  -0x1.63aeabf42eae2p-54, -0x1.e958d3c9904bdp-54, -0x1.5e436d661f5e3p-56,
  -0x1.efff8375d29c3p-54, 0x1.ada0911f09ebcp-55, -0x1.7d023f956f9f3p-54,
  -0x1.ef3691c309278p-58, -0x1.1c7dde35f7999p-55, 0x1.89b7a04ef80d0p-59,
  0x1.c944bd1648a76p-54, 0x1.3c1a3b69062f0p-56, 0x1.9cb62f3d1be56p-54,
  0x1.d4397afec42e2p-56, 0x1.8ecdbbc6a7833p-54, -0x1.4b309d25957e3p-54,
  -0x1.f768569bd93efp-55, -0x1.07abe1db13cadp-55, -0x1.d689cefede59bp-55,
  0x1.9bb2c011d93adp-54, 0x1.295e15b9a1de8p-55, 0x1.6324c054647adp-54,
  0x1.c4b1b816986a2p-60, 0x1.ba6f93080e65ep-54, -0x1.3e2429b56de47p-54,
  -0x1.383c17e40b497p-54, -0x1.c483c759d8933p-55, -0x1.bb60987591c34p-54,
  0x1.038ae44f73e65p-57, -0x1.bdd3413b26456p-54, -0x1.2895667ff0b0dp-56,
  -0x1.bbe3a683c88abp-57, -0x1.83c0f25860ef6p-55, -0x1.16e4786887a99p-55,
  -0x1.0a8d96c65d53cp-54, -0x1.0245957316dd3p-54, 0x1.866b80a02162dp-54,
  -0x1.41577ee04992fp-55, 0x1.f124cd1164dd6p-54, 0x1.05d02ba15797ep-56,
  -0x1.27c86626d972bp-54, -0x1.d4c1dd41532d8p-54, -0x1.8d684a341cdfbp-55,
  -0x1.fc6f89bd4f6bap-54, 0x1.994c2f37cb53ap-54, 0x1.6e9f156864b27p-54,
  -0x1.0d55e32e9e3aap-56, 0x1.5cc13a2e3976cp-55, -0x1.dd6792e582524p-54,
  -0x1.75fc781b57ebcp-57, -0x1.64b7c96a5f039p-56, -0x1.d185b7c1b85d1p-54,
  -0x1.173bd91cee632p-54, 0x1.c7c46b071f2bep-56, 0x1.824ca78e64c6ep-56,
  -0x1.359495d1cd533p-54, 0x1.6305c7ddc36abp-54, -0x1.d2f6edb8d41e1p-54,
  0x1.bcb7ecac563c7p-54, 0x1.0fac90ef7fd31p-54, -0x1.f9234cae76cd0p-55,
  0x1.7a1cd345dcc81p-54, -0x1.bdef54c80e425p-54, -0x1.2805e3084d708p-57,
  -0x1.c71dfbbba6de3p-54, -0x1.5584f7e54ac3bp-56, -0x1.efcd30e54292ep-54,
  0x1.23dd07a2d9e84p-55, -0x1.efdca3f6b9c73p-54, 0x1.11065895048ddp-55,
  0x1.b4537e083c60ap-54, 0x1.2884dff483cadp-54, 0x1.1acbc48805c44p-56,
  0x1.503cbd1e949dbp-56, -0x1.dd83b53829d72p-55, -0x1.cbc3743797a9cp-54,
  -0x1.d487b719d8578p-54, 0x1.2ed02d75b3707p-55, -0x1.11ec18beddfe8p-54,
  0x1.c2300696db532p-54, 0x1.2da5778f018c3p-54, -0x1.1a5cd4f184b5cp-54,
  -0x1.7b627817a1496p-54, 0x1.39e8980a9cc8fp-55, 0x1.2d522ca0c8de2p-54,
  -0x1.e9c23179c2893p-54, -0x1.c93f3b411ad8cp-54, 0x1.dc7f486a4b6b0p-54,
  0x1.3a1a5bf0d8e43p-54, 0x1.9d3e12dd8a18bp-54, -0x1.dbb12d006350ap-54,
  0x1.74853f3a5931ep-55, 0x1.2eb74966579e7p-57,
};

#if POW_X86
typedef double pw_vd4 __attribute__((vector_size(32)));
typedef long long pw_vi4 __attribute__((vector_size(32)));
typedef unsigned long long pw_vu4 __attribute__((vector_size(32)));
typedef double pw_vd8 __attribute__((vector_size(64)));
typedef long long pw_vi8 __attribute__((vector_size(64)));
typedef unsigned long long pw_vu8 __attribute__((vector_size(64)));

#define PL_NAME pow_lanes4
#define PL_BLOCK pow_block4
#define PL_W 4
#define PL_ATTR __attribute__((target("avx2,fma")))
#define PL_VD pw_vd4
#define PL_VI pw_vi4
#define PL_VU pw_vu4
#define PL_FMA(a, b, c) \
  ((pw_vd4)_mm256_fmadd_pd((__m256d)(a), (__m256d)(b), (__m256d)(c)))
#define PL_B(c) ((pw_vd4){0} + (c))
#define PL_GATHER(t, i) ((pw_vd4)_mm256_i64gather_pd((t), (__m256i)(i), 8))
#define PL_MASK(v) ((unsigned)_mm256_movemask_pd((__m256d)(v)))
#include "strategic/eum_pow_lanes.h"

#define PL_NAME pow_lanes8
#define PL_BLOCK pow_block8
#define PL_W 8
#define PL_ATTR __attribute__((target("avx512f")))
#define PL_VD pw_vd8
#define PL_VI pw_vi8
#define PL_VU pw_vu8
#define PL_FMA(a, b, c) \
  ((pw_vd8)_mm512_fmadd_pd((__m512d)(a), (__m512d)(b), (__m512d)(c)))
#define PL_B(c) ((pw_vd8){0} + (c))
#define PL_GATHER(t, i) ((pw_vd8)_mm512_i64gather_pd((__m512i)(i), (t), 8))
#define PL_MASK(v) ((unsigned)_mm512_test_epi64_mask((__m512i)(v), (__m512i)(v)))
#include "strategic/eum_pow_lanes.h"
#endif

int ent_eum_pow_lanes(void) {
#if POW_X86 && defined(ENT_HAVE_X86_PLATFORM_H)
  if (CPU_FEATURE_ACTIVE(AVX512F)) return 8;
  if (CPU_FEATURE_ACTIVE(AVX2) && CPU_FEATURE_ACTIVE(FMA)) return 4;
#elif POW_X86
  if (__builtin_cpu_supports("avx512f")) return 8;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return 4;
#endif
  return 1;
}

typedef size_t (*pow_kernel)(size_t, const double *, const double *,
                             double *, unsigned *);

size_t ent_eum_pow_n(size_t m, const double *x, const double *y, double *out,
                     int vector) {
  int W = vector ? ent_eum_pow_lanes() : 1;
#if POW_X86
  if (W > 1) {
    pow_kernel f = W == 8 ? pow_lanes8 : pow_lanes4;
    unsigned list[EUM_POW_BATCH];
    size_t calls = 0;
    for (size_t k = 0; k < m; k += EUM_POW_BATCH) {
      size_t c = m - k < EUM_POW_BATCH ? m - k : EUM_POW_BATCH;
      size_t nbad = f(c, x + k, y + k, out + k, list);
      for (size_t q = 0; q < nbad; q++)
        out[k + list[q]] = pow(x[k + list[q]], y[k + list[q]]);
      calls += nbad;
    }
    return calls;
  }
#endif
  (void)W;
  for (size_t k = 0; k < m; k++) out[k] = pow(x[k], y[k]);
  return m;
}
