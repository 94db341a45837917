/*
 * equilibria.h: the C ABI of libEquilibriaABI, the in-process interface of the Swift library.
 *
 * This header is the one definition of the boundary. The Swift side imports it (module
 * CEquilibria) and the Python package hands the part between the CDEF markers to cffi, so the
 * struct layouts exist in this file only.
 *
 * Conventions:
 *  - Every function returns an eq_code. EQ_OK means the request was carried out; the status of
 *    each game (optimal, infeasible, failed, ...) is then in the result. Any other code comes
 *    with a message (*message, UTF-8, allocated by the library; free it with eq_free).
 *  - Nothing crosses but plain numbers, pointers and C strings. Every input is validated before
 *    any computation, and no input can make the library abort: bad input is an error code.
 *  - Arrays are C-ordered (row-major) float64. A game has N players with n_1..n_N actions; its
 *    payoffs are [N, n_1, ..., n_N] (player N's action fastest), |A| = prod n_p joint actions,
 *    R gain rows in canonical order (eq_gain_rows). Every call takes K >= 1 games of one shape:
 *    arrays of games carry K rows, and a single game is K = 1.
 *  - Output arrays are allocated by the caller with the sizes given below and filled completely;
 *    entries with no value hold 0 (never NaN), and a *_defined array says where a value exists.
 *  - Text outputs (messages, exact values) are JSON documents allocated by the library; free
 *    them with eq_free.
 *  - Optional numbers not given are NaN; optional arrays not given are NULL.
 *  - Functions are thread-safe and may be called concurrently; jobs > 1 also solves the games
 *    of one call on that many threads. Results do not depend on jobs.
 */
#ifndef EQUILIBRIA_H
#define EQUILIBRIA_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* BEGIN CDEF */
enum eq_code {
    EQ_OK = 0,
    EQ_BAD_INPUT = 1,    /* a game, array or shape is malformed */
    EQ_BAD_OPTION = 2,   /* an option is malformed, out of range, or does not apply */
    EQ_INTERNAL = 3      /* a failure outside the statuses (reported, never an abort) */
};

enum eq_concept { EQ_CE = 0, EQ_CCE = 1 };

enum eq_objective {
    EQ_MAX_WELFARE = 0, EQ_MIN_WELFARE = 1, EQ_MAX_LINEAR = 2, EQ_MIN_LINEAR = 3,
    EQ_MAX_PROBABILITY = 4, EQ_MIN_EPSILON = 5, EQ_MIN_EPSILON_PER_PLAYER = 6
};

enum eq_method { EQ_NEWTON = 0, EQ_LBFGSB = 1, EQ_LBFGSB_NEWTON = 2 };

/* Statuses, per game. */
enum eq_status {
    EQ_OPTIMAL = 0, EQ_INFEASIBLE = 1, EQ_NOT_CONVERGED = 2, EQ_FAILED = 3
};

/* K games of one shape. */
typedef struct {
    int64_t players;                /* N >= 1 */
    const int64_t *action_counts;   /* N entries, each >= 1 */
    int64_t count;                  /* K >= 1 */
    const double *payoffs;          /* K * N * |A|, finite */
    const double *welfare;          /* NULL, or K * |A|: a welfare given with each game */
    /* Games of a generated collection: NULL for single games, else K indices (>= 0). Game k's
       sampled MWMRE parts (MRE's target, the eps- presets' target epsilon, MWME's welfare) then
       come from (collection_seed, index), exactly as `equilibria batch` draws them. */
    const int64_t *game_indices;
    uint64_t collection_seed;
    int32_t normalized;             /* 1: the payoffs are already L2-normalised (archives of batch) */
} eq_games;

/* The linear selections of `equilibria solve`. */
typedef struct {
    int32_t concept;                /* eq_concept */
    int32_t objective;              /* eq_objective */
    const char *epsilon;            /* NULL (0 for every player), or one exact rational per player
                                       or one for all, comma-separated ("-1/2,0"); not with the
                                       min-epsilon objectives */
    const double *coefficients;     /* max/min-linear: |A| values (exact binary values); else NULL */
    const int64_t *joint_action;    /* max-probability: N 0-based actions; else NULL */
    int32_t exact;                  /* solve and certify in rational arithmetic */
    int32_t face;                   /* the optimal face: 0 none; 1 uniqueness, and the ranges
                                       within the default budget (about the LP's own work);
                                       2 uniqueness and every range; 3 uniqueness only */
    double exact_time_limit;        /* seconds for the exact path; NaN: the default (10 s); with
                                       certify, the budget of the certificate's exact fallback */
    int32_t certify;                /* 1: prove the double-precision answer rigorously (floating-point
                                       enclosures with bounded rounding, exact arithmetic where they
                                       cannot decide); fills the certificate outputs. Not with exact */
} eq_lp_options;

typedef struct {
    int32_t *status;                /* K: eq_status */
    int32_t *certified;             /* K */
    int32_t *unique;                /* K: 1, 0, or -1 when not decided or not computed */
    double *objective;              /* K */
    double *joint;                  /* K * |A| */
    double *epsilon;                /* K * N */
    double *duals;                  /* K * R (Farkas multipliers when infeasible) */
    double *range_min;              /* K * |A| (joint when unique or not computed) */
    double *range_max;              /* K * |A| */
    int32_t *ranges_defined;        /* K: 1 when every range was computed */
    double *expected_payoffs;       /* K * N */
    double *max_gains;              /* K * N */
    double *welfare;                /* K */
    double *max_violation;          /* K */
    int64_t *iterations;            /* K */
    char *notes;                    /* out: JSON array of K strings ("" when none) */
    char *exact;                    /* out: JSON array of K objects of "p/q" strings (exact mode:
                                       objective, joint, epsilon, duals, range_min, range_max,
                                       farkas_gap), or of nulls */
    /* With certify (else unused and may be NULL): */
    double *certificate_bounds;     /* K * 2: a rigorous enclosure [lower, upper] of the objective */
    double *certificate_joint_error;/* K: a rigorous bound on max_a |joint(a) - sigma*(a)| */
    char *certificates;             /* out: JSON array of K objects {"certified", "method", "reason"
                                       (or null), "proves_unique", "bounded" (the two arrays above
                                       hold the bounds), "joint_bounded"}; nulls without certify */
} eq_lp_result;

/* The MWMRE problem (the paper's Table 3 presets and explicit overrides). */
typedef struct {
    int32_t concept;                /* eq_concept */
    const char *preset;             /* NULL: ME; else ME MT MU MWME MRE MS eps-ME eps-MWME eps-MRE */
    int32_t raw_units;              /* 1: solve the payoffs as given, not the L2-normalised game */
    double mu;                      /* NaN: the preset's; may be +-inf */
    double rho;                     /* NaN: the preset's; > 0, may be inf */
    const double *eps_hat;          /* NULL, or eps_hat_count (1 or N) values */
    int64_t eps_hat_count;
    const double *eps_plus;         /* NULL, or eps_plus_count (1 or N) values */
    int64_t eps_plus_count;
    int32_t target_uniform;         /* 1: the uniform target (overrides the preset's) */
    const double *target;           /* NULL, or |A| (shared) or K * |A| (target_per_game) */
    int32_t target_per_game;
    const double *welfare;          /* NULL, or |A| or K * |A| (welfare_per_game) */
    int32_t welfare_per_game;
    int32_t has_seed;               /* 1: seed is given (refused when nothing is sampled) */
    uint64_t seed;
    int32_t method;                 /* eq_method */
    double tolerance;               /* NaN: the default */
} eq_mwmre_options;

typedef struct {
    int32_t *status;                /* K: eq_status */
    int32_t *certified;             /* K: the gap is a certificate (bounds KL(sigma||sigma*)) */
    int32_t *duals_attained;        /* K */
    double *joint;                  /* K * |A| */
    double *epsilon;                /* K * N, in the units solved in */
    double *payoff_scale;           /* K * N: c_p of the normalisation (raw eps = eps / c_p); 1 in raw units */
    double *duals;                  /* K * R */
    double *dual_objective;         /* K: L(alpha) */
    double *primal_objective;       /* K: P(sigma, eps) */
    double *gap;                    /* K: the certified gap, or L - P when uncertified */
    double *kkt_residual;           /* K */
    double *max_violation;          /* K */
    int64_t *iterations;            /* K */
    double *minimum_epsilon;        /* K: when infeasible (minimum_epsilon_defined) */
    int32_t *minimum_epsilon_defined;
    double *maximum_welfare;        /* K: the max welfare of the mu = inf face */
    int32_t *maximum_welfare_defined;
    int64_t *zero_joint_actions;    /* K: facial reduction, rho = inf */
    int64_t *equality_rows;         /* K */
    /* The problem each game was solved with. */
    double *target;                 /* K * |A|: sigma-hat */
    double *problem_welfare;        /* K * |A|: W used (0 where none) */
    int32_t *welfare_defined;       /* K */
    double *eps_hat;                /* K * N */
    double *eps_plus;               /* K * N */
    double *mu;                     /* K */
    double *rho;                    /* K */
    char *messages;                 /* out: JSON array of K status messages */
    char *certificate_notes;        /* out: JSON array of K strings (why uncertified; "" if certified) */
} eq_mwmre_result;

/* What `equilibria verify` measures, for K predictions. */
typedef struct {
    int32_t concept;                /* eq_concept (row order of the duals, concept of the gap) */
    const double *duals;            /* K * R, or NULL */
    const double *joint;            /* K * |A|, or NULL (exactly one of duals and joint) */
    const double *reference_joint;  /* K * |A|, or NULL */
    const double *reference_epsilon;        /* K * N, or NULL */
    const double *reference_dual_objective; /* K, or NULL */
} eq_verify_inputs;

typedef struct {
    double *joint;                  /* K * |A|: sigma (recovered from the duals, or the joint) */
    double *epsilon;                /* K * N: recovered eps (duals) */
    int32_t *epsilon_defined;       /* K */
    double *max_ce_gain;            /* K * N */
    double *max_cce_gain;           /* K * N */
    double *corr_dist_ce;           /* K */
    double *gap;                    /* K */
    double *gap_eps;  int32_t *gap_eps_defined;
    double *gap_eps_hat; int32_t *gap_eps_hat_defined;
    double *welfare;                /* K */
    double *dual_objective; int32_t *dual_objective_defined;
    double *certified_gap; int32_t *certified_gap_defined;
    double *kl_pred_ref; int32_t *kl_pred_ref_defined;   /* +inf on a support mismatch */
    double *kl_ref_pred; int32_t *kl_ref_pred_defined;
    double *tv; int32_t *tv_defined;
    double *max_abs_diff; int32_t *max_abs_diff_defined;
    double *eps_diff; int32_t *eps_diff_defined;         /* K * N */
    double *welfare_ref; int32_t *welfare_ref_defined;
    double *welfare_diff; int32_t *welfare_diff_defined;
    double *dual_suboptimality; int32_t *dual_suboptimality_defined;
    char *certificate_notes;        /* out: JSON array of K strings */
} eq_metrics;

/* The version of this interface; the Python package refuses a library of another version. */
int32_t eq_abi_version(void);

/* Frees a string the library allocated. */
void eq_free(void *pointer);

/* R, the number of gain rows (dual variables) of a concept for a shape. */
int32_t eq_gain_rows(int64_t players, const int64_t *action_counts, int32_t concept,
                     int64_t *rows, char **message);

/* Solves a linear selection for each game. */
int32_t eq_lp_solve(const eq_games *games, const eq_lp_options *options, int64_t jobs,
                    eq_lp_result *result, char **message);

/* Solves the MWMRE problem of each game. The single game of `solve --objective mwmre`, or the
   games of `batch` when game_indices and normalized are set as batch sets them. */
int32_t eq_mwmre_solve(const eq_games *games, const eq_mwmre_options *options, int64_t jobs,
                       eq_mwmre_result *result, char **message);

/* The max-welfare (C)CE with the maximum-entropy tie-break (the mu = inf limit), as
   `solve --tie-break max-entropy`; epsilon as in eq_lp_options. */
int32_t eq_tie_break(const eq_games *games, int32_t concept, const char *epsilon, int64_t jobs,
                     eq_mwmre_result *result, char **message);

/* The metrics of `equilibria verify` for each game; duals are recovered with the MWMRE problem
   of `problem` (its concept must be the inputs' concept). */
int32_t eq_verify(const eq_games *games, const eq_verify_inputs *inputs, const eq_mwmre_options *problem,
                  int64_t jobs, eq_metrics *metrics, char **message);

/* Games first .. first + count - 1 of a distribution, as `equilibria generate` writes them.
   normalize: NULL (none) or "l1", "l2", "linf" (generate --normalize); gamut_range: NULL, or
   {min, max} (generate --gamut-normalize). payoffs: count * N * |A|; scales, offsets: count * N
   (1 and 0 when not normalised); redraws: count. */
int32_t eq_generate(const char *family, int64_t players, const int64_t *action_counts, uint64_t seed,
                    int64_t first, int64_t count, const char *normalize, const double *gamut_range,
                    double *payoffs, double *scales, double *offsets, int64_t *redraws, char **message);

/* The distributions: a JSON array of {"name", "summary"}. */
int32_t eq_families(char **list);
/* END CDEF */

#ifdef __cplusplus
}
#endif
#endif
