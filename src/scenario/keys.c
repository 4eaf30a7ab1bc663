/* SPDX-License-Identifier: MIT */
/*
 * The table of scenario keys: the single place that says which keys exist,
 * their type, unit, range, default and meaning.  The parser, the overrides,
 * `strife help scenario` and the check of docs/scenarios.md all read it.
 *
 * The default of every Epstein key is the value of NetLogo's Rebellion
 * model (Wilensky 2004), which follows Epstein (2002); the presets in
 * scenarios/ set the values of each published variant with sources.
 */
#include <string.h>

#include "scenario.h"

#define OFF(field) offsetof(struct strife__values, field)
#define EP(field)  offsetof(struct strife__values, ep.field)
#define NONE       0.0, 0.0, NULL, ""
#define AF(field)  offsetof(struct strife__values, af.field)
#define ST(field)  offsetof(struct strife__values, af.st.field)
/* A real-valued key of the Afghan model. */
#define AREAL(path, field, lo, hi, range, unit, def, doc)                      \
  {                                                                            \
    path, STRIFE__K_REAL, ST(field), lo, hi, NULL, range, unit, def, doc,      \
        "afghan"                                                               \
  }
/* An off|on switch of the Afghan model. */
#define ASWITCH(path, field, def, doc)                                         \
  {                                                                            \
    path, STRIFE__K_ENUM, ST(field), 0, 0, "off|on", "off|on", "", def, doc,   \
        "afghan"                                                               \
  }

const struct strife__key strife__keys[] = {
    /* path, type, offset, min, max, choices, range, unit, default, doc,
       model */
    {"model", STRIFE__K_ENUM, OFF(model), 0, 0, "epstein|afghan",
     "epstein|afghan", "", "\"epstein\"",
     "Model the scenario runs: Epstein's lattice alone, or the Afghan model "
     "(docs/model.md).",
     ""},
    {"name", STRIFE__K_STRING, 0, NONE, "", NULL,
     "Name shown in outputs (Optional; default: the file's base name).", ""},
    {"description", STRIFE__K_STRING, 0, NONE, "", "\"\"",
     "Free text describing the scenario (Optional).", ""},
    {"sources", STRIFE__K_SOURCES, 0, NONE, "", "{}",
     "Citation of each value: an object from key path to source text, or "
     "the word \"assumption\" (Optional).",
     ""},
    {"run.ticks", STRIFE__K_I64, OFF(ticks), 0, 1e9, NULL, "0..1000000000",
     "ticks", "1000",
     "Number of ticks to run.  In the Afghan model a tick is a day and the "
     "run goes from run.start to run.end unless run.ticks is given.",
     ""},
    {"run.seed", STRIFE__K_I64, OFF(seed), 0, 9223372036854775807.0, NULL,
     "0..2^63-1", "", "1", "Master seed of every random draw.", ""},
    {"run.update", STRIFE__K_ENUM, EP(update), 0, 0, "sequential|parallel",
     "sequential|parallel", "", "\"sequential\"",
     "Agent update: one at a time in random order, or synchronous phases "
     "over threads.",
     "epstein"},
    {"lattice.width", STRIFE__K_U32, EP(width), 1, 65535, NULL, "1..65535",
     "cells", "40", "Width of the torus.", "epstein"},
    {"lattice.height", STRIFE__K_U32, EP(height), 1, 65535, NULL, "1..65535",
     "cells", "40", "Height of the torus.", "epstein"},
    {"citizens.density", STRIFE__K_REAL, EP(citizen_density), 0, 1, NULL,
     "[0, 1]", "fraction of cells", "0.7",
     "Share of cells holding a citizen at tick 0.", "epstein"},
    {"citizens.vision", STRIFE__K_INT, EP(citizen_vision), 1,
     STRIFE__VISION_MAX, NULL, "1..100", "cells", "7",
     "Radius v of the cells a citizen sees.", "epstein"},
    {"citizens.threshold", STRIFE__K_REAL, EP(threshold), 0, 1, NULL, "[0, 1]",
     "", "0.1",
     "T: a citizen turns active when grievance minus net risk exceeds it.",
     "epstein"},
    {"citizens.arrest_constant", STRIFE__K_REAL, EP(k), 0, 100, NULL,
     "[0, 100]", "", "2.3",
     "k in P = 1 - exp(-k C/A), the estimated arrest probability.", "epstein"},
    {"citizens.max_jail_term", STRIFE__K_U32, EP(max_jail), 1, STRIFE__JAIL_MAX,
     NULL, "1..1000000", "ticks", "30",
     "J_max, the longest jail term (see variant.jail_term).", "epstein"},
    {"cops.density", STRIFE__K_SCHEDULE, EP(cop_density), 0, 1, NULL, "[0, 1]",
     "fraction of cells", "0.04",
     "Share of cells holding a cop; a schedule changes the number of cops.",
     "epstein"},
    {"cops.vision", STRIFE__K_INT, EP(cop_vision), 1, STRIFE__VISION_MAX, NULL,
     "1..100", "cells", "7", "Radius v of the cells a cop sees.", "epstein"},
    {"regime.legitimacy", STRIFE__K_SCHEDULE, EP(legitimacy), 0, 1, NULL,
     "[0, 1]", "", "0.82", "L in grievance G = H (1 - L).", "epstein"},
    {"variant.neighbourhood", STRIFE__K_ENUM, EP(nbhd), 0, 0,
     "lateral|disk|diamond", "lateral|disk|diamond", "", "\"disk\"",
     "Cells within vision v: the 4 v lateral sites, the Euclidean disk, or "
     "the Manhattan diamond.",
     "epstein"},
    {"variant.own_cell", STRIFE__K_BOOL, EP(own_cell), 0, 0, NULL, "true|false",
     "", "true", "Whether an agent's own cell belongs to its neighbourhood.",
     "epstein"},
    {"variant.active_count", STRIFE__K_ENUM, EP(self_again), 0, 0,
     "self|self-again-if-active", "self|self-again-if-active", "",
     "\"self-again-if-active\"",
     "A = 1 + actives seen; with self-again-if-active an active citizen "
     "counts itself once more.",
     "epstein"},
    {"variant.ratio", STRIFE__K_ENUM, EP(ratio), 0, 0,
     "exact|floor|round-half-even", "exact|floor|round-half-even", "",
     "\"floor\"",
     "How C/A enters P: as is, rounded down, or rounded half to even.",
     "epstein"},
    {"variant.order", STRIFE__K_ENUM, EP(order), 0, 0, "move-act|act-move",
     "move-act|act-move", "", "\"move-act\"",
     "Order of moving and acting within a turn.", "epstein"},
    {"variant.jail_term", STRIFE__K_ENUM, EP(term), 0, 0,
     "continuous|uniform-exclusive|uniform-inclusive",
     "continuous|uniform-exclusive|uniform-inclusive", "",
     "\"uniform-exclusive\"",
     "Jail term: ceil(U(0, J_max)), uniform on 0..J_max-1, or uniform on "
     "0..J_max.",
     "epstein"},
    {"variant.jailed", STRIFE__K_ENUM, EP(jailed), 0, 0,
     "removed|stays-empty|stays-blocking", "removed|stays-empty|stays-blocking",
     "", "\"stays-empty\"",
     "Where a jailed citizen is: off the lattice, on its cell which others "
     "may take, or on its cell blocking it.",
     "epstein"},
    {"variant.jail_countdown", STRIFE__K_ENUM, EP(countdown), 0, 0,
     "tick-end|own-turn", "tick-end|own-turn", "", "\"tick-end\"",
     "When jail terms count down: for all at the end of a tick, or on each "
     "citizen's own turn.",
     "epstein"},
    {"variant.cop_after_arrest", STRIFE__K_ENUM, EP(cop_after), 0, 0,
     "stay|arrestee-cell", "stay|arrestee-cell", "", "\"arrestee-cell\"",
     "Whether a cop steps onto the cell of the citizen it arrests.", "epstein"},
    {"variant.movement", STRIFE__K_ENUM, EP(movement), 0, 0,
     "all|cops-only|citizens-only|none", "all|cops-only|citizens-only|none", "",
     "\"all\"", "Which agents move.", "epstein"},
    {"variant.placement", STRIFE__K_ENUM, EP(placement), 0, 0,
     "exact|bernoulli", "exact|bernoulli", "", "\"exact\"",
     "Tick-0 placement: exactly round(density x cells) of each kind, or each "
     "cell drawn on its own.",
     "epstein"},

    /* The Afghan model (docs/model.md gives each equation). */
    {"run.start", STRIFE__K_DATE, ST(start), 0, 0, NULL, "YYYY-MM-DD", "date",
     "\"2021-09-01\"", "First day simulated.", "afghan"},
    {"run.end", STRIFE__K_DATE, ST(end), 0, 0, NULL, "YYYY-MM-DD", "date",
     "\"2024-12-31\"", "Last day simulated.", "afghan"},
    {"data.provinces", STRIFE__K_PATH, AF(provinces), 0, 0, NULL, "file path",
     "", "\"../data/provinces.csv\"",
     "Province table (CSV; data/README.md gives its columns), relative to the "
     "scenario file, or to the working directory when given with --set.",
     "afghan"},
    {"population.scale", STRIFE__K_U32, ST(scale), 1, 1000000, NULL,
     "1..1000000", "people per agent", "100",
     "s: people one citizen agent stands for; 1 simulates every Afghan.",
     "afghan"},
    AREAL("population.density", citizen_density, 0.05, 0.9, "[0.05, 0.9]",
          "fraction of cells", "0.7",
          "Share of a province lattice's cells holding a citizen."),
    {"population.vision", STRIFE__K_INT, AF(vision), 1, 20, NULL, "1..20",
     "cells", "7", "Vision v of citizens and security forces.", "afghan"},
    {"population.threshold", STRIFE__K_REAL, AF(threshold), 0, 1, NULL,
     "[0, 1]", "", "0.1", "T of the Epstein decision rule.", "afghan"},
    {"population.arrest_constant", STRIFE__K_REAL, AF(k), 0, 100, NULL,
     "[0, 100]", "", "2.3", "k in P = 1 - exp(-k C/A).", "afghan"},
    {"population.max_jail_days", STRIFE__K_U32, AF(max_jail), 1, 100000, NULL,
     "1..100000", "days", "30", "Longest detention of an arrested citizen.",
     "afghan"},
    AREAL("population.hardliner_share", hard_share, 0, 1, "[0, 1]",
          "fraction of citizens", "0.15",
          "Share of citizens in the hardliner audience."),
    AREAL("population.grievance", grievance, 0, 10, "[0, 10]", "", "0.4",
          "g in the grievance G = g H h (1 - L) of a citizen with hardship "
          "draw H in a province of economic hardship h, against the "
          "legitimacy L its audience grants."),
    AREAL("security.reach", reach, 0, 10000, "[0, 10000]", "agents per member",
          "25",
          "Security agents on the lattices per policing force member (times "
          "0.5 + repression), before dividing by the scale."),
    {"policy", STRIFE__K_ENUM, ST(policy), 0, 0,
     "status-quo|anti-terror-push|middle-road|radicalise",
     "status-quo|anti-terror-push|middle-road|radicalise", "", "\"status-quo\"",
     "The Taliban's course at the start (docs/model.md).", "afghan"},
    {"policy_changes", STRIFE__K_POLICIES, ST(changes), 0, 0, NULL,
     "array of {\"date\", \"policy\"}", "", "[]",
     "Later changes of course, in date order within the run.", "afghan"},
    {"calibration.free", STRIFE__K_FREE, 0, 0, 0, NULL,
     "array of {\"key\", \"prior\", \"lo\", \"hi\", \"source\"}", "", "[]",
     "Parameters strife calibrate fits, each a numeric key with its prior: "
     "uniform or log-uniform on [lo, hi], or normal (mean, sd) cut to "
     "[lo, hi] (docs/calibration.md).",
     "afghan"},
    {"calibration.targets", STRIFE__K_TARGETS, 0, 0, 0, NULL,
     "array of {\"outcome\", \"value\", \"scale\", \"source\"}", "", "[]",
     "What strife calibrate fits to: outcomes (docs/results.md) with their "
     "observed values and the scales their misses are measured in.",
     "afghan"},
    {"foreign.us", STRIFE__K_ENUM, ST(us), 0, 0,
     "none|humanitarian|intel-sharing|air-support",
     "none|humanitarian|intel-sharing|air-support", "", "\"humanitarian\"",
     "What the US does; each level includes the ones before it (also "
     "--set us=...).",
     "afghan"},
    ASWITCH("foreign.china_development", china_dev, "\"off\"",
            "Chinese development money, paid while counter-terrorism is "
            "strong and Chinese nationals are not attacked (also --set "
            "china-development=...)."),
    ASWITCH("foreign.pakistan_strikes", pakistan_strikes, "\"on\"",
            "Pakistani airstrikes on border provinces when cross-border "
            "attacks pile up (also --set pakistan-strikes=...)."),
    {"taliban.forces", STRIFE__K_REAL, ST(forces0), 0, 1e6, NULL,
     "[0, 1000000]", "members", "80000", "Taliban forces at the start.",
     "afghan"},
    AREAL("taliban.forces_target", forces_target, 0, 1e6, "[0, 1000000]",
          "members", "150000", "Strength the forces grow towards when paid."),
    AREAL("taliban.forces_growth", forces_growth, 0, 1, "[0, 1]", "per day",
          "0.0023", "Rate of growth towards the target when paid."),
    AREAL("taliban.cost_per_member", cost_per_member, 0, 1e6, "[0, 1000000]",
          "US$ a year", "6000", "Cost of one member of the forces."),
    AREAL("taliban.desertion", desertion, 0, 1, "[0, 1]", "per day", "0.002",
          "Share of the forces leaving each day while pay is in arrears."),
    AREAL("isk.fighters", isk0, 0, 1e6, "[0, 1000000]", "fighters", "1600",
          "IS-K fighters at the start."),
    AREAL("isk.prisoners", prisoners, 0, 1e6, "[0, 1000000]", "fighters",
          "1800", "Prisoners released in August 2021 who join IS-K."),
    AREAL("isk.prison_days", prison_days, 1, 10000, "[1, 10000]", "days", "45",
          "Mean delay before a released prisoner joins."),
    AREAL("isk.pool_rate", pool_rate, 0, 1, "[0, 1]",
          "per active hardliner per day", "5e-5",
          "Recruits from the active hardliners of the lattices."),
    AREAL("isk.foreign_rate", foreign_rate, 0, 1000, "[0, 1000]",
          "fighters per day", "1.0",
          "Foreign recruits a day at the starting hardliner legitimacy; they "
          "rise as it falls."),
    AREAL("isk.defect_rate", defect_rate, 0, 1, "[0, 1]", "", "0.1",
          "Share of militants sidelined from constrained or fought groups "
          "who join IS-K."),
    AREAL("isk.attrition", attrition, 0, 1, "[0, 1]", "per day", "0.0007",
          "Fighters leaving by death, desertion or return, besides "
          "counter-terrorism."),
    {"isk.slots", STRIFE__K_INT, ST(slots), 1, 32, NULL, "1..32", "slots", "6",
     "Leadership roles decapitation can empty.", "afghan"},
    AREAL("isk.recovery_days", recovery, 1, 10000, "[1, 10000]", "days", "120",
          "Mean time to refill an emptied leadership slot."),
    AREAL("isk.leader_weight", leader_weight, 0, 1, "[0, 1]", "", "0.5",
          "Share of attack capacity lost when every slot is empty."),
    AREAL("isk.attack_rate", attack_rate, 0, 1, "[0, 1]",
          "attacks per fighter per day", "1.38e-4",
          "Background attack rate of a fighter at full capacity."),
    AREAL("isk.money", isk_money0, 0, 1e6, "[0, 1000000]", "US$ million", "5",
          "IS-K's money at the start."),
    AREAL("isk.income", isk_income, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "10",
          "IS-K's income: transfers from the Islamic State and extortion."),
    AREAL("isk.cost_per_fighter", isk_cost, 0, 1e6, "[0, 1000000]",
          "US$ a year", "2000", "Upkeep of one IS-K fighter."),
    AREAL("isk.broke_capacity", isk_broke, 0, 1, "[0, 1]", "", "0.5",
          "Share of attack capacity left when IS-K has no money (full with "
          "90 days of upkeep in hand)."),
    AREAL("isk.stronghold_weight", stronghold, 0, 100, "[0, 100]", "", "3",
          "Extra weight of a stronghold province in where fighters are, per "
          "person."),
    {"isk.strongholds", STRIFE__K_CODES, ST(stronghold_codes), 0, 0, NULL,
     "array of province codes", "", "[\"AF-NAN\", \"AF-KNR\", \"AF-KAB\"]",
     "Provinces where IS-K is entrenched.", "afghan"},
    AREAL("attacks.branching", hawkes.n, 0, 0.99, "[0, 0.99]", "", "0.43",
          "Hawkes branching ratio n: attacks triggered per attack."),
    AREAL("attacks.lifetime_days", hawkes.tau, 0.1, 1000, "[0.1, 1000]", "days",
          "28", "Mean lifetime of an attack's excitation."),
    AREAL("attacks.fatality_exponent", alpha, 1.1, 10, "[1.1, 10]", "", "2.4",
          "Tail exponent alpha of fatalities per attack."),
    {"attacks.fatality_cap", STRIFE__K_U32, ST(cap), 1, 100000, NULL,
     "1..100000", "people", "300", "Most fatalities of one attack.", "afghan"},
    AREAL("attacks.share_shia", target[STRIFE__T_SHIA], 0, 1, "[0, 1]", "",
          "0.30", "Share of attacks on Shia and Hazara civilians."),
    AREAL("attacks.share_taliban", target[STRIFE__T_TALIBAN], 0, 1, "[0, 1]",
          "", "0.50", "Share of attacks on the Taliban."),
    AREAL("attacks.share_foreign", target[STRIFE__T_FOREIGN], 0, 1, "[0, 1]",
          "", "0.15", "Share of attacks on foreigners and embassies."),
    AREAL("attacks.share_chinese", target[STRIFE__T_CHINESE], 0, 1, "[0, 1]",
          "", "0.05", "Share of attacks on Chinese nationals."),
    AREAL("attacks.cross_border", cross_border, 0, 1, "[0, 1]", "", "0.05",
          "Share of attacks from a border province that cross the border."),
    AREAL("ct.kill_rate", ct_kill, 0, 1, "[0, 1]",
          "per day per 10,000 CT forces", "0.0004",
          "Share of IS-K fighters removed a day by counter-terrorism."),
    AREAL("ct.decap_rate", decap_rate, 0, 1, "[0, 1]", "per day", "0.017",
          "Decapitation strikes a day at full emphasis with every slot "
          "filled."),
    AREAL("ct.intel_boost", intel_boost, 1, 10, "[1, 10]", "", "1.5",
          "Detection multiplier of US intelligence, when taken."),
    AREAL("ct.air_boost", air_boost, 1, 10, "[1, 10]", "", "1.3",
          "Removal multiplier of US air support, when taken."),
    AREAL("legitimacy.public", pub0, 0, 1, "[0, 1]", "", "0.7",
          "Public legitimacy in every province at the start."),
    AREAL("legitimacy.public_base", pub_base, 0, 1, "[0, 1]", "", "0.7",
          "Public legitimacy it relaxes to with no hardship and a "
          "pragmatic line."),
    AREAL("legitimacy.relax", relax, 0, 1, "[0, 1]", "per day", "0.01",
          "Rate at which every ledger relaxes to its target."),
    AREAL("legitimacy.public_attack", pub_attack, 0, 10, "[0, 10]",
          "per fatality per 100,000 people", "0.02",
          "Fall of a province's public legitimacy with attack deaths."),
    AREAL("legitimacy.public_repression", pub_repress, 0, 10, "[0, 10]",
          "per arrest per 100,000 people", "1e-6",
          "Fall of a province's public legitimacy with arrests."),
    AREAL("legitimacy.public_hardship", pub_hardship, 0, 10, "[0, 10]", "",
          "0.3", "Fall of the public target per unit of extra hardship."),
    AREAL("legitimacy.public_ideology", pub_ideology, 0, 1, "[0, 1]", "", "0.1",
          "Fall of the public target at a fully radical line."),
    AREAL("legitimacy.public_strike", pub_strike, 0, 1, "[0, 1]", "", "0.05",
          "Fall of public legitimacy in a province struck by Pakistan."),
    AREAL("legitimacy.hardliner", hard0, 0, 1, "[0, 1]", "", "0.7",
          "Hardliner legitimacy at the start."),
    AREAL("legitimacy.hardliner_base", hard_base, 0, 1, "[0, 1]", "", "0.6",
          "Hardliner target at a middling line with no group fought, "
          "sheltered or US help."),
    AREAL("legitimacy.hardliner_ideology", hard_ideology, 0, 1, "[0, 1]", "",
          "0.3",
          "Rise of the hardliner target from a middling to a fully "
          "radical line, times 2."),
    AREAL("legitimacy.hardliner_us", hard_us, 0, 1, "[0, 1]", "", "0.15",
          "Fall of the hardliner target while US help is taken."),
    AREAL("legitimacy.hardliner_fight", hard_fight, 0, 1, "[0, 1]", "", "0.05",
          "Fall of the hardliner target per jihadist group fought."),
    AREAL("legitimacy.hardliner_shelter", hard_shelter, 0, 1, "[0, 1]", "",
          "0.03", "Rise of the hardliner target per group tolerated."),
    AREAL("legitimacy.us", int0[STRIFE__S_US], 0, 1, "[0, 1]", "", "0.1",
          "US view of the Taliban at the start, and its base."),
    AREAL("legitimacy.pakistan", int0[STRIFE__S_PAKISTAN], 0, 1, "[0, 1]", "",
          "0.5", "Pakistan's view at the start, and its base."),
    AREAL("legitimacy.china", int0[STRIFE__S_CHINA], 0, 1, "[0, 1]", "", "0.4",
          "China's view at the start, and its base."),
    AREAL("legitimacy.russia", int0[STRIFE__S_RUSSIA], 0, 1, "[0, 1]", "",
          "0.35", "Russia's view at the start, and its base."),
    AREAL("legitimacy.tajikistan", int0[STRIFE__S_TAJIKISTAN], 0, 1, "[0, 1]",
          "", "0.15", "Tajikistan's view at the start, and its base."),
    AREAL("legitimacy.intl_shelter", int_shelter, 0, 1, "[0, 1]", "", "0.1",
          "Fall of a state's target per tolerated group it fears."),
    AREAL("legitimacy.intl_ct", int_ct, 0, 1, "[0, 1]", "", "0.2",
          "Rise of every state's target when counter-terrorism removes all "
          "of IS-K in a year."),
    AREAL("legitimacy.intl_attack", int_attack, 0, 1, "[0, 1]", "", "0.02",
          "Fall of a state's legitimacy per attack crossing into it or on "
          "its nationals."),
    AREAL("legitimacy.intl_repression", int_repress, 0, 1, "[0, 1]",
          "per arrest per 100,000 people", "1e-6",
          "Fall of US legitimacy with arrests."),
    AREAL("money.revenue", revenue, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "2240", "Taliban revenue."),
    AREAL("money.civil_share", civil_share, 0, 1, "[0, 1]", "", "0.7",
          "Share of revenue spent on the civil state."),
    AREAL("money.aid_2022", aid_2022, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "3200",
          "Humanitarian aid until the end of 2022."),
    AREAL("money.aid_2023", aid_2023, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "1470", "Humanitarian aid from 2023 on."),
    AREAL("money.us_aid_share", us_aid_share, 0, 1, "[0, 1]", "", "0.35",
          "Share of the aid that is the US's."),
    AREAL("money.leakage", leakage, 0, 1, "[0, 1]", "", "0.05",
          "Share of aid reaching the regime."),
    AREAL("money.scandal_rate", scandal_rate, 0, 100, "[0, 100]",
          "per day per US$ billion a year", "0.05",
          "Chance a day that US aid leaking to the regime becomes a scandal."),
    AREAL("money.scandal_days", scandal_days, 0, 10000, "[0, 10000]", "days",
          "180", "How long a scandal cuts the US share of aid."),
    AREAL("money.china_development", china_money, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "300",
          "Chinese development money while it is paid."),
    AREAL("money.china_ct_min", china_ct_min, 0, 1, "[0, 1]", "", "0.15",
          "Least CT share of the forces China pays for."),
    AREAL("money.china_quiet_days", china_quiet_days, 0, 10000, "[0, 10000]",
          "days", "180",
          "Days after an attack on Chinese nationals without "
          "payment."),
    AREAL("money.hardship_elasticity", hardship_elasticity, 0, 10, "[0, 10]",
          "", "0.5", "Hardship = (economy / economy of 2022)^-elasticity."),
    AREAL("groups.ttp", group0[STRIFE__TTP], 0, 1e6, "[0, 1000000]", "fighters",
          "5000", "TTP fighters in Afghanistan at the start."),
    AREAL("groups.aq", group0[STRIFE__AQ], 0, 1e6, "[0, 1000000]", "fighters",
          "400", "Al-Qaeda members at the start."),
    AREAL("groups.imu", group0[STRIFE__IMU], 0, 1e6, "[0, 1000000]", "fighters",
          "200", "IMU fighters at the start."),
    AREAL("groups.fight_rate", fight_rate, 0, 1, "[0, 1]", "per day", "0.002",
          "Share of a fought group lost a day."),
    AREAL("groups.constrain_rate", constrain_rate, 0, 1, "[0, 1]", "per day",
          "0.0005", "Share of a constrained group sidelined a day."),
    AREAL("groups.backlash", backlash, 0, 100, "[0, 100]",
          "attacks per day per 1,000 fought", "0.05",
          "Attacks on the Taliban by groups it fights."),
    AREAL("groups.ttp_attacks", ttp_attacks, 0, 100, "[0, 100]",
          "attacks per day per 1,000", "0.02",
          "TTP attacks in Pakistan from Afghanistan while tolerated (half "
          "constrained, a quarter fought)."),
    AREAL("pakistan.strike_threshold", strike_threshold, 1, 1000, "[1, 1000]",
          "attacks in 30 days", "4",
          "Cross-border attacks into Pakistan that bring a strike."),
    AREAL("pakistan.strike_kill", strike_kill, 0, 1, "[0, 1]", "", "0.05",
          "Share of IS-K in the province and of the TTP a strike kills."),
};

const size_t strife__n_keys = sizeof strife__keys / sizeof strife__keys[0];

const struct strife__key *strife__key_find(const char *path) {
  for (size_t i = 0; i < strife__n_keys; i++)
    if (strcmp(strife__keys[i].path, path) == 0) return &strife__keys[i];
  return NULL;
}

const char *strife__key_choice(const struct strife__key *k, int idx,
                               size_t *len) {
  const char *c = k->choices;
  for (int i = 0; i < idx; i++)
    c = strchr(c, '|') + 1;
  *len = strcspn(c, "|");
  return c;
}

int strife__key_is_group(const char *prefix) {
  size_t n = strlen(prefix);
  for (size_t i = 0; i < strife__n_keys; i++)
    if (strncmp(strife__keys[i].path, prefix, n) == 0 &&
        strife__keys[i].path[n] == '.')
      return 1;
  return 0;
}

static const char *type_name(const struct strife__key *k) {
  static const char *const names[] = {
      "string",  "integer", "integer",  "integer", "number",
      "boolean", "string",  "schedule", "object",  "date",
      "path",    "array",   "array",    "array",   "array"};
  return names[k->type];
}

size_t strife_key_count(void) {
  return strife__n_keys;
}

void strife_key_get(size_t i, strife_key_info *out) {
  const struct strife__key *k = &strife__keys[i];
  out->key = k->path;
  out->type = type_name(k);
  out->unit = k->unit;
  out->range = k->range;
  out->deflt = k->deflt ? k->deflt : "(see doc)";
  out->doc = k->doc;
  out->model = k->model;
}
