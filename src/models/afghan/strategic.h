/* SPDX-License-Identifier: MIT */
/*
 * The strategic layer of the Afghan model: the Taliban government, IS-K,
 * the sheltered jihadist groups, attacks, the legitimacy ledger, money and
 * the foreign states, as one small state for the country plus quantities
 * per province.  docs/model.md gives every equation and parameter.
 *
 * It knows nothing of lattices: each day the step loop asks it for what
 * drives each province's population (strife__strat_drive), runs the
 * lattices, and hands back what they show (strife__strat_end).  It does
 * no I/O: the day's national figures, the month's province figures and
 * the events are left in the state for the model's observation to read
 * and reset.
 */
#ifndef STRIFE_MODELS_AFGHAN_STRATEGIC_H
#define STRIFE_MODELS_AFGHAN_STRATEGIC_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "core/model.h"
#include "hawkes.h"
#include "provinces.h"

/* Sheltered groups. */
enum { STRIFE__TTP, STRIFE__AQ, STRIFE__IMU, STRIFE__N_GROUPS };
/* How the policy treats a sheltered group. */
enum { STRIFE__TOLERATE, STRIFE__CONSTRAIN, STRIFE__FIGHT };
/* Foreign states with a ledger of their own. */
enum {
  STRIFE__S_US,
  STRIFE__S_PAKISTAN,
  STRIFE__S_CHINA,
  STRIFE__S_RUSSIA,
  STRIFE__S_TAJIKISTAN,
  STRIFE__N_STATES
};
/* What the US does. */
enum {
  STRIFE__US_NONE,
  STRIFE__US_HUMANITARIAN,
  STRIFE__US_INTEL,
  STRIFE__US_AIR
};
/* Target classes of IS-K attacks. */
enum {
  STRIFE__T_SHIA,
  STRIFE__T_TALIBAN,
  STRIFE__T_FOREIGN,
  STRIFE__T_CHINESE,
  STRIFE__N_TARGETS
};
/* Sources of IS-K recruits. */
enum {
  STRIFE__R_POOL,     /* active hardliners of the lattices */
  STRIFE__R_FOREIGN,  /* Pakistan, India, Central Asia */
  STRIFE__R_DEFECTOR, /* militants of sidelined or fought groups */
  STRIFE__R_PRISONER, /* released in August 2021 */
  STRIFE__R_SHELTER,  /* trained fighters of the groups the policy shelters */
  STRIFE__R_TALIBAN,  /* defectors from the Taliban's own forces */
  STRIFE__N_SOURCES
};
/* Policy presets, in the order of the scenario key "policy". */
enum {
  STRIFE__P_STATUS_QUO,
  STRIFE__P_ANTI_TERROR_PUSH,
  STRIFE__P_MIDDLE_ROAD,
  STRIFE__P_RADICALISE,
  STRIFE__N_POLICIES
};

/* The Taliban's levers. */
struct strife__policy {
  double ct_share;   /* share of forces on counter-terrorism, [0, 1] */
  double decap;      /* emphasis on decapitation strikes, [0, 1] */
  double ideology;   /* 0 pragmatic .. 1 radical */
  double repression; /* policing intensity, [0, 1] */
  int accept_us;     /* takes US intelligence and air support */
  int treat[STRIFE__N_GROUPS];
};

/* The name of preset 'i' (STRIFE__P_*). */
STRIFE__FUNC const char *strife__strat_policy_name(int i);

/* What a dated change may set (the members of the scenario's
   policy_changes): the Taliban's preset and the foreign levers. */
enum {
  STRIFE__L_POLICY,
  STRIFE__L_US,
  STRIFE__L_CHINA,
  STRIFE__L_PAKISTAN,
  STRIFE__LEVERS
};

/* Every parameter of the strategic layer (docs/model.md). */
struct strife__strat_params {
  /* Calendar: days since 1970-01-01. */
  int64_t start, end;
  uint32_t scale; /* people per agent */
  double citizen_density;

  /* Policies. */
  int policy;                          /* preset in force at the start */
  struct strife__timeline changes;     /* values by STRIFE__L_* */
  int us, china_dev, pakistan_strikes; /* foreign levers */

  /* Population coupling. */
  double hard_share;  /* share of hardliners among citizens */
  double provocation; /* grievance gained per jailed share of a province */
  double grievance;   /* grievance factor = grievance * hardship * (1 - L) */
  double reach;       /* cop agents per force member, per agent of scale */

  /* Taliban forces. */
  double forces0, forces_target, forces_growth; /* -, -, per day */
  double cost_per_member;                       /* US$ per year */
  double desertion;                             /* per day, unpaid */
  double defection; /* per day per unit of hardliner legitimacy lost */

  /* IS-K. */
  double isk0;                   /* fighters at the start */
  double prisoners, prison_days; /* released prisoners joining; spread */
  double pool_rate;     /* recruits per day per active hardliner person */
  double foreign_rate;  /* foreign recruits per day */
  double defect_rate;   /* defectors per day per sidelined militant */
  double taliban_join;  /* share of Taliban defectors joining IS-K */
  double attrition;     /* per day */
  int slots;            /* leadership slots */
  double recovery;      /* mean days to refill a slot */
  double leader_weight; /* capacity lost with every slot empty */
  double attack_rate;   /* background attacks per fighter per day */
  double isk_money0;    /* IS-K money at the start, US$ million */
  double isk_income;    /* transfers and extortion, US$ million a year */
  double isk_cost;      /* upkeep of a fighter, US$ a year */
  double isk_broke;     /* attack capacity left with no money */
  /* Posture under pressure (docs/model.md, section 4). */
  double pressure_ref;  /* losses a fighter-day that halve the share on
                           attacks at home */
  double pressure_days; /* memory of the losses */
  double steepness;     /* of the retreat from attacks at home */
  double abroad_share;  /* of the capacity withdrawn, turned abroad */
  double hide;          /* protection from removal while lying low */
  double stronghold;    /* weight of the strongholds in the cells */
  uint64_t strongholds; /* provinces, bit per index (from the codes) */
  struct strife__codes stronghold_codes;

  /* Attacks. */
  struct strife__hawkes_params hawkes;
  double alpha;                     /* fatality tail exponent */
  uint32_t cap;                     /* most fatalities of one attack */
  double target[STRIFE__N_TARGETS]; /* shares of target classes */
  double abroad_pk;    /* share of operations abroad aimed at Pakistan */
  double abroad_alpha; /* fatality tail exponent of operations abroad */

  /* Counter-terrorism. */
  double ct_kill;     /* removal per day per CT force ratio */
  double decap_rate;  /* strikes per day at full emphasis and slots */
  double intel_boost; /* detection multiplier of US intelligence */
  double air_boost;   /* removal multiplier of US air support */
  double informants;  /* elasticity of detection to public legitimacy */
  double learning;    /* detection gained by removing IS-K's first strength */
  double saturation;  /* CT forces at which removal is half of linear */

  /* Legitimacy: public (per province), hardliner, international. */
  double pub0, pub_base, relax; /* -, -, per day */
  double pub_attack;            /* per fatality per 100,000 people */
  double pub_repress;           /* per arrest per 100,000 people */
  double pub_hardship;          /* target fall per unit of hardship */
  double pub_ideology;          /* target fall at a radical line */
  double pub_strike;            /* fall in a province struck by Pakistan */
  double hard0, hard_base;
  double hard_ideology;          /* target rise at a radical line */
  double hard_us;                /* target fall taking US help */
  double hard_fight;             /* target fall per group fought */
  double hard_shelter;           /* target rise per group tolerated */
  double int0[STRIFE__N_STATES]; /* at the start, and the base target */
  double int_shelter;            /* target fall, a group the state fears */
  double int_ct;                 /* target rise at full CT results */
  double int_attack;             /* fall per cross-border attack into it */
  double int_repress;            /* US target fall per arrest per 100,000 */

  /* Money, US$ million a year unless said. */
  double revenue, civil_share, aid_2022, aid_2022_h1, aid_2023, us_aid_share;
  double leakage;      /* share of aid reaching the regime */
  double scandal_rate; /* per day per US$ billion leaked a year */
  double scandal_days; /* US aid cut after a scandal */
  double china_money, china_view, china_quiet_days;
  double hardship_elasticity;
  double compliance;   /* elasticity of revenue to public legitimacy */
  double aid_standing; /* aid gained per unit of US view above its start */

  /* Sheltered groups. */
  double group0[STRIFE__N_GROUPS];
  double fight_rate;     /* per day, strength lost when fought */
  double constrain_rate; /* per day, strength sidelined when constrained */
  double backlash;       /* attacks on the Taliban per day per 1,000 fought */
  double ttp_attacks; /* TTP attacks in Pakistan per day per 1,000, tolerated */
  double group_growth; /* per day, a tolerated group's growth */
  double shelter_feed; /* trained recruits to IS-K per day per 1,000 of a
                          tolerated group */

  /* Pakistan. */
  double strike_attacks; /* cross-border attacks a strike answers, at the
                           starting view */
  double strike_kill;    /* share of militants in the province killed */
};

/* What drives one province's lattice on a day. */
struct strife__pdrive {
  double factor[2]; /* grievance factor, public and hardliner */
  uint32_t cops;
};

/* What one province's lattice shows after a day. */
struct strife__pobs {
  uint64_t citizens, active[2], jailed[2], arrests[2];
};

/* An entry of the event log. */
enum {
  STRIFE__E_ATTACK,
  STRIFE__E_DECAPITATION,
  STRIFE__E_AIRSTRIKE,
  STRIFE__E_POLICY,
  STRIFE__E_SCANDAL,
  STRIFE__E_BACKLASH,
  STRIFE__E_TTP_ATTACK,
  STRIFE__E_LEVER, /* a foreign lever changed: detail = lever * 8 + value */
  STRIFE__N_EVENTS
};
STRIFE__FUNC const char *strife__strat_event_name(int kind);
STRIFE__FUNC const char *strife__strat_target_name(int target);

struct strife__event {
  int64_t day;
  int16_t province; /* -1: national */
  uint8_t kind;
  int8_t target;  /* STRIFE__T_*, or -1 */
  int8_t country; /* enum strife__country of a cross-border attack, or -1 */
  int8_t detail;  /* policy preset of a change; slot of a decapitation */
  uint32_t fatalities;
};

/* The country's figures on one day. */
struct strife__national {
  int64_t day;
  double isk, forces, ct_forces;
  /* IS-K attacks and their fatalities inside Afghanistan; abroad, and
     of those in Pakistan. */
  uint32_t attacks, fatalities, cross_border, cross_fatalities;
  uint32_t cross_pk, cross_pk_fatalities;
  uint32_t ttp_attacks; /* TTP attacks in Pakistan */
  uint32_t strikes;     /* Pakistani strikes in Afghanistan */
  double strike_fatalities;
  double recruits[STRIFE__N_SOURCES], removed;
  int slots_filled;
  double capacity;     /* IS-K attack capacity left by leaders and money */
  double isk_money;    /* US$ million */
  double pressure;     /* losses a fighter-day, smoothed */
  double home, abroad; /* shares of capacity on attacks at home, abroad */
  double pub, hard, intl[STRIFE__N_STATES];
  double revenue, aid, spending, treasury, hardship;
  double china;      /* Chinese development money, US$ million a day */
  double compliance; /* public legitimacy against its start: revenue */
  double detection;  /* CT detection multiplier */
  double defectors;  /* Taliban forces defecting today */
  double groups[STRIFE__N_GROUPS];
  uint64_t active[2], jailed, arrests;
  int policy;
};

/* One province over a month (or the part of it run). */
struct strife__pmonth {
  double pub, isk;
  uint32_t attacks, fatalities;
  uint64_t active[2], jailed, arrests, cops;
};

struct strife__strat {
  struct strife__alloc alloc; /* for the event log */
  struct strife__strat_params p;
  const struct strife__provinces *prov;
  uint64_t seed;
  int64_t day; /* the day being run (after strife__strat_begin) */

  struct strife__policy pol;
  int policy;
  int us, china_dev, pakistan_strikes; /* foreign levers in force */
  double forces, treasury, unpaid_days;
  double isk, isk_share[STRIFE__PROVINCES_MAX]; /* share of fighters */
  double isk_money;                             /* US$ million */
  double pressure;    /* losses a fighter-day, smoothed */
  double removed_all; /* fighters removed by counter-terrorism so far */
  int slots_filled;
  int64_t slot_back[32]; /* day an empty slot refills, 0 if filled */
  double groups[STRIFE__N_GROUPS];
  double pub[STRIFE__PROVINCES_MAX], hard, intl[STRIFE__N_STATES];
  double jailed[STRIFE__PROVINCES_MAX]; /* share of citizens jailed */
  double hardship, compliance;
  double us_ref; /* the US view aid is measured against */
  int64_t scandal_until, chinese_attack_day;
  struct strife__hawkes hk[STRIFE__PROVINCES_MAX];
  /* Weights for drawing a province: by population; 1 for those bordering
     Pakistan (n_pk_border of them), else 0. */
  double pop_w[STRIFE__PROVINCES_MAX], pk_border[STRIFE__PROVINCES_MAX];
  int n_pk_border;

  struct strife__national nat;
  struct strife__pmonth month[STRIFE__PROVINCES_MAX];
  uint32_t month_days;
  double deficit_days;

  struct strife__event *events;
  size_t n_events, cap_events;
  int oom; /* the event log could not grow */
};

/* Sets up the state at the start date; the event log grows through
   'a'. */
STRIFE__FUNC void strife__strat_init(struct strife__strat *s,
                                     const struct strife__strat_params *p,
                                     const struct strife__provinces *prov,
                                     uint64_t seed,
                                     const struct strife__alloc *a);
STRIFE__FUNC void strife__strat_free(struct strife__strat *s);
/* Starts day 'day': policy changes, monthly reactions. */
STRIFE__FUNC void strife__strat_begin(struct strife__strat *s, int64_t day);
/* What drives province 'i' today. */
STRIFE__FUNC void strife__strat_drive(const struct strife__strat *s, size_t i,
                                      struct strife__pdrive *out);
/* Ends the day with what the lattices show ('obs', one per province), in
   phases: counter-terrorism, IS-K's capacity, recruitment, attacks, the
   sheltered groups, Pakistani strikes, legitimacy, money.  Returns
   STRIFE_OK, or STRIFE_ENOMEM when the event log could not grow (the
   day's events are then incomplete). */
STRIFE__FUNC int strife__strat_end(struct strife__strat *s,
                                   const struct strife__pobs *obs);
/* Empties the event log (after the caller read it). */
STRIFE__FUNC void strife__strat_events_clear(struct strife__strat *s);
/* Empties the month's province figures (after the caller read them). */
STRIFE__FUNC void strife__strat_month_reset(struct strife__strat *s);

#endif
