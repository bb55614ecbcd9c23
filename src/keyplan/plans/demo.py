"""Example account plans for the demo territory, so a newcomer sees what good looks like.

``example_plans(seed=...)`` writes complete plans for the demo ``rep``'s biggest accounts
(by revenue over the last 12 months of sales), entirely through the plan services, so
each plan's activity feed tells its history: the rep drafts the plan, sets the goals
from the account's run-rate, records what the customer's people said (goals sourced from
real contacts of the account and the interactions we had with them), researches the
Three Cs, designs the ideas, moves some of them on, submits investment cases that the
demo ``manager`` decides, presents the proposal, and activates the plan.

The second half of each plan is there too: the relationship map (the account's people
get decision roles, attitudes and relationship owners among the rep, the manager and the
demo ``exec``: most decision makers covered, one only weakly, and one influential
blocker, so the map shows warnings), an executive pairing of ``exec`` with their leader
and the last executive meeting (overdue on the third plan), one objective of each
category with one to three strategies and their actions (owned by the rep, the manager
or the executive, with effort and due dates over the period), two milestones, a
qualitative goal, help committed by a solution engineer and help still asked of the
manager. The rep's kick-off actions fill the first month of the three plans a little
beyond the rep's hours, so the capacity check warns. The first plan is then confirmed
current and the second reviewed with the team, keeping a version that differs from the
one taken at activation. Contacts and interactions are account data: they are written
directly, everything else through the plan services.

Two plans have an idea pipeline in the method's 2.5-3x band; the third stays below it
(the red gauge, with the gap to close). The texts follow the account's industry and are
chosen by one ``random.Random`` per plan seeded from the seed and the account: the same
seed gives the same plans (their dates follow today: the plan period is the next 12
months).
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from keyplan.plans import selectors, services
from keyplan.plans.choices import Delivery, GoalLevel, IdeaStage, VendorKind
from keyplan.plans.models import AccountPlan
from keyplan.plans.services.plan import default_period

REP = "rep"
MANAGER = "manager"
EXECUTIVE = "exec"  # paired with each account's leader
IN_BAND = (2.6, 2.9)  # two plans: inside the 2.5-3x band
BELOW_BAND = (1.5, 1.7)  # one plan: short of it, so the red gauge shows too
# Whose word counts as the company's goal when the account has no CEO among its contacts.
LEADING_FUNCTIONS = ("Executive", "Operations", "Finance", "IT", "Marketing", "Procurement")
SENIORITY_RANK = {"c_level": 0, "vp": 1, "director": 2, "manager": 3, "individual": 4, "": 5}

# -- what a key account manager knows about each industry ------------------------------
# Placeholders: {name} {country} {employees} {revenue} {year} {a} {b} and the nouns below.
PROFILES = {
    "Manufacturing": {
        "site": "plant",
        "sites": "plants",
        "metric": "OEE, scrap and downtime",
        "forecast": "demand and spare-parts stock",
        "data": "plant, quality and ERP data",
        "regulation": "NIS2",
        "workload": "the plants' MES reporting servers",
        "partners": "suppliers and OEM customers",
        "customers": "OEM customers",
        "pilot": "the two oldest lines of the main plant",
        "kpi": (60, 67, 8, 12),
        "business": (
            "{name} designs and builds precision components for automotive and industrial "
            "OEMs, headquartered in {country}: about {employees} people and {revenue} in "
            "revenue. Margins are thin (4-6% EBIT) and the order book moves with their OEM "
            "customers' model cycles."
        ),
        "trends": (
            "OEMs now ask every supplier for the carbon footprint per part and for shorter "
            "call-offs. Energy prices are still volatile, and the plants must run more "
            "automation with fewer skilled operators as the older generation retires."
        ),
        "challenges": (
            "Unplanned downtime on the older lines; production data locked in each plant's "
            "own MES; a lean IT team that cannot keep up with the plants' requests. The OT "
            "network was never designed for the connectivity they now need, and the last "
            "audit said so."
        ),
        "corporate": (
            "Lift overall equipment effectiveness from {a}% to {b}% across all plants by {year}",
            "The CEO promised the board that growth will come from the existing plants, not "
            "from a new one. OEE is the number quoted in every town hall, and the plant "
            "managers' bonus now depends on it.",
            "Be the supplier OEMs name as their most reliable source, with the lowest cost "
            "per part in the segment.",
            "OEE per plant, monthly, as reported to the board; hours of unplanned downtime.",
        ),
        "values": (
            (
                "Unplanned downtime avoided per year",
                "Downtime hours avoided on the lines where our dashboards and alerts run, at "
                "their own contribution margin per line hour (agreed with the plant "
                "controller).",
                Decimal("2.4"),
            ),
            (
                "Scrap and rework cost reduced per year",
                "Scrap rate down 0.8 points on the lines with statistical process control in "
                "Insight, measured against the year before.",
                Decimal("1.1"),
            ),
        ),
        "introducer": (
            "Korvan ERP",
            "Their ERP runs every plant; their account team is close to the CFO and the "
            "plant controllers and would rather see a partner solve plant analytics than "
            "lose the project to a competitor of theirs.",
        ),
        "vision": (
            "By {year}, every plant of {name} runs on one trusted data backbone: the lines "
            "report OEE, scrap and energy per part in real time, plant managers act on the "
            "same numbers the board sees, and the OT network is secured to the NIS2 standard. "
            "We operate the platform with their IT team, so they can put their scarce people "
            "on the plants' improvement projects."
        ),
        "response": (
            "The COO liked the one-backbone picture and asked us to prove it on one plant "
            "before the budget round. The CFO wants the downtime value confirmed by their "
            "own controllers. Next step: a joint steering meeting in six weeks."
        ),
    },
    "Financial Services": {
        "site": "branch",
        "sites": "branches",
        "metric": "cost-income, fraud and complaint rates",
        "forecast": "liquidity and credit risk",
        "data": "customer, transaction and risk data",
        "regulation": "DORA",
        "workload": "the risk reporting batch",
        "partners": "payment schemes and fintech partners",
        "customers": "retail and SME clients",
        "pilot": "the card fraud team",
        "kpi": (58, 66, -9, -6),
        "business": (
            "{name} is a {country}-based bank and insurer for retail and SME clients: about "
            "{employees} people and {revenue} in income. Deposits are stable; growth comes "
            "from digital lending and bancassurance."
        ),
        "trends": (
            "Open finance and instant payments raise the bar on real-time data. Regulators "
            "expect operational resilience to be proven, not described (DORA), and neobanks "
            "win the young clients on app experience."
        ),
        "challenges": (
            "A core banking system from the 1990s, risk reports rebuilt by hand each quarter, "
            "and card fraud losses up two years in a row. The regulator's last review asked "
            "for traceable data lineage from source to report."
        ),
        "corporate": (
            "Bring the cost-income ratio from {a}% to {b}% by {year} while growing digital clients",
            "The CEO set the target at the capital markets day: investors compare them with "
            "the most efficient banks in the market, and the share price follows the ratio.",
            "Be the most efficient bank in its market, with the best-rated app.",
            "Cost-income ratio in the annual report; digital active clients per quarter.",
        ),
        "values": (
            (
                "Regulatory reporting effort saved per year",
                "Full-time equivalents no longer rebuilding risk reports by hand once the "
                "reports run on DataHub with lineage, at their internal cost rate.",
                Decimal("1.3"),
            ),
            (
                "Card fraud losses avoided per year",
                "Fraud losses avoided by the real-time scoring running on our streaming "
                "platform, as measured by their fraud office.",
                Decimal("2.2"),
            ),
        ),
        "introducer": (
            "Tessaro Core Banking",
            "Their core banking vendor is replacing the payments module next year and needs "
            "a streaming and data partner it can name in its proposal.",
        ),
        "vision": (
            "By {year}, {name} steers the bank on one governed data platform: risk and "
            "regulatory reports run from the same data with full lineage, fraud is scored "
            "in real time, and relationship managers see each client's whole position. We "
            "run the platform with them under a resilience-tested service."
        ),
        "response": (
            "The CFO asked for the reporting business case in their own template and for a "
            "reference call with another bank. The CRO supports the fraud pilot if it passes "
            "their model risk review. They want the roadmap aligned with the core banking "
            "programme."
        ),
    },
    "Healthcare": {
        "site": "hospital",
        "sites": "hospitals",
        "metric": "bed occupancy, waiting times and staffing",
        "forecast": "admissions and staffing needs",
        "data": "clinical, scheduling and finance data",
        "regulation": "health data protection",
        "workload": "the clinical data warehouse",
        "partners": "GPs, labs and insurers",
        "customers": "patients and referring doctors",
        "pilot": "the emergency department of the largest hospital",
        "kpi": (24, 32, -10, -6),
        "business": (
            "{name} runs hospitals and outpatient clinics in {country}: about {employees} "
            "staff and {revenue} in revenue, mostly from insurers and public funding. Demand "
            "grows every year with an older population."
        ),
        "trends": (
            "Staff shortages (nurses above all), the shift to outpatient and home care, and "
            "payers moving to value-based contracts. Ransomware attacks on hospitals are in "
            "the news every month."
        ),
        "challenges": (
            "Waiting times above the regional target, agency staff costs up sharply, and "
            "planning done in spreadsheets per ward. Clinical and finance data live in "
            "separate systems that nobody has joined."
        ),
        "corporate": (
            "Cut average waiting time for planned care from {a} to {b} days by {year} "
            "without adding beds",
            "The board signed a performance agreement with the regional payer: waiting "
            "times are published per hospital, and the next contract depends on them.",
            "Be the group patients and referring doctors trust first in the region.",
            "Waiting days per specialty, published quarterly; agency staff spend.",
        ),
        "values": (
            (
                "Agency staff cost avoided per year",
                "Shifts no longer filled by agency staff once admissions and staffing are "
                "forecast per ward two weeks ahead, at the agency premium they pay today.",
                Decimal("1.8"),
            ),
            (
                "Clinician hours freed from administration per year",
                "Hours doctors and nurses no longer spend compiling reports by hand, valued at "
                "their average hourly cost.",
                Decimal("0.9"),
            ),
        ),
        "introducer": (
            "Medora EHR",
            "Their electronic health record vendor supports the clinical side but has no "
            "analytics of its own worth the name and partners with us elsewhere.",
        ),
        "vision": (
            "By {year}, {name} plans every ward on one view of demand and capacity: "
            "admissions forecast two weeks ahead, staff rostered to it, clinical and finance "
            "data joined and protected. We provide the platform and the forecasting, and "
            "train their planners to own it."
        ),
        "response": (
            "The COO wants the emergency department pilot first and asked for the nursing "
            "director on the steering group. The CFO asked how agency savings will be "
            "measured. Security review of the data flows before any contract."
        ),
    },
    "Retail": {
        "site": "store",
        "sites": "stores",
        "metric": "sales per square metre, stock-outs and markdowns",
        "forecast": "demand per store and SKU",
        "data": "sales, stock and loyalty data",
        "regulation": "PCI DSS",
        "workload": "the merchandising systems",
        "partners": "suppliers and marketplaces",
        "customers": "shoppers and loyalty members",
        "pilot": "the fresh categories in twenty stores",
        "kpi": (14, 19, 7, 11),
        "business": (
            "{name} is a {country} retailer with stores and a growing online shop: about "
            "{employees} people and {revenue} in sales. The loyalty programme reaches most "
            "households in its home market."
        ),
        "trends": (
            "Shoppers switch between store and app in the same purchase; retail media "
            "becomes a profit line of its own; price pressure from discounters and "
            "marketplaces keeps margins tight."
        ),
        "challenges": (
            "Stock-outs in the top lines while the back rooms are full of slow movers, "
            "markdowns eating the margin, and a loyalty database nobody uses for decisions. "
            "Store IT is old and card data protection was flagged in the last audit."
        ),
        "corporate": (
            "Grow online share of sales from {a}% to {b}% by {year} and keep store margins",
            "The CEO's strategy day set the target: the stores stay the backbone, but growth "
            "has to come online, and investors watch the margin mix.",
            "Be the retailer shoppers choose first, in the store and in the app.",
            "Online share of sales and gross margin per channel, reported quarterly.",
        ),
        "values": (
            (
                "Margin recovered from fewer stock-outs per year",
                "Lost sales avoided in the top 500 lines once replenishment runs on the store "
                "and SKU forecast, at their gross margin.",
                Decimal("2.1"),
            ),
            (
                "Markdown cost reduced per year",
                "Lower end-of-season markdowns where buying follows the forecast, measured by "
                "their merchandise finance team.",
                Decimal("1.2"),
            ),
        ),
        "introducer": (
            "Castellan Commerce",
            "Their e-commerce platform vendor is rebuilding the shop and needs a data "
            "partner for personalisation; they introduced us at another retailer last year.",
        ),
        "vision": (
            "By {year}, {name} knows each shopper across store and app and stocks each "
            "store for its own customers: one forecast from buying to replenishment, loyalty "
            "data behind every campaign and retail media as a new profit line, on a platform "
            "we run with them."
        ),
        "response": (
            "The CEO liked the retail media angle and asked for numbers from a comparable "
            "retailer. The supply chain director wants the forecast pilot in the fresh "
            "categories. IT asked for the PCI scope to be settled first."
        ),
    },
    "Energy": {
        "site": "site",
        "sites": "sites",
        "metric": "asset availability, outage minutes and field costs",
        "forecast": "load and generation",
        "data": "grid, asset and metering data",
        "regulation": "critical-infrastructure security",
        "workload": "the SCADA historian and reporting",
        "partners": "grid operators and traders",
        "customers": "households and industrial customers",
        "pilot": "one wind park and its substation",
        "kpi": (35, 45, 10, 16),
        "business": (
            "{name} generates and distributes power in {country}, with a fast-growing wind "
            "and solar portfolio: about {employees} people and {revenue} in revenue. Half of "
            "the investment budget goes to renewables and grid reinforcement."
        ),
        "trends": (
            "More weather-dependent generation on the grid, batteries and flexible demand as "
            "new markets, and regulators tying the allowed return to reliability. Attacks on "
            "critical infrastructure are a board topic."
        ),
        "challenges": (
            "Forecasting generation and load well enough to trade it; maintenance planned by "
            "calendar instead of condition; grid and asset data in a SCADA historian that only "
            "two engineers understand."
        ),
        "corporate": (
            "Raise the renewable share of generation from {a}% to {b}% by {year} with no loss "
            "of supply reliability",
            "The transition plan is public and the CEO reports against it every quarter; the "
            "regulator and the investors read the reliability numbers just as closely.",
            "Be the utility that proved renewables and reliability go together.",
            "Renewable share of generation; outage minutes per customer per year.",
        ),
        "values": (
            (
                "Outage minutes avoided, valued per year",
                "Outages avoided by condition-based maintenance on the assets we monitor, at "
                "the regulator's penalty rate per customer minute.",
                Decimal("2.0"),
            ),
            (
                "Field maintenance cost saved per year",
                "Truck rolls avoided when inspections follow the asset's condition, not the "
                "calendar, at their cost per visit.",
                Decimal("1.0"),
            ),
        ),
        "introducer": (
            "Voltaris Grid Systems",
            "Their SCADA vendor wants to offer analytics on top of its historian and has "
            "asked us twice for a joint offer.",
        ),
        "vision": (
            "By {year}, {name} runs its assets on their condition and trades its generation "
            "on accurate forecasts: grid, asset and metering data on one secured platform, "
            "field crews sent where the data says, and the security of the control network "
            "proven to the regulator. We operate the platform with their digital team."
        ),
        "response": (
            "The CTO wants the wind park pilot before the summer maintenance window. The CISO "
            "insists on an OT security review first. The CFO asked to tie the outage value "
            "to the regulator's incentive scheme."
        ),
    },
    "Technology": {
        "site": "product team",
        "sites": "product teams",
        "metric": "recurring revenue, churn and cloud cost",
        "forecast": "renewals and usage",
        "data": "product usage, billing and CRM data",
        "regulation": "SOC 2 and ISO 27001",
        "workload": "the build and test infrastructure",
        "partners": "resellers and integration partners",
        "customers": "business customers",
        "pilot": "the customer success team of the largest product",
        "kpi": (72, 82, 6, 10),
        "business": (
            "{name} sells business software by subscription from {country} to customers "
            "worldwide: about {employees} people and {revenue} in revenue, 80% recurring. "
            "Growth slowed last year and the board now asks for profitable growth."
        ),
        "trends": (
            "Buyers consolidate vendors and ask for AI features; investors reward net "
            "revenue retention and margin over growth at any price; cloud bills rise faster "
            "than revenue."
        ),
        "challenges": (
            "Churn signals seen too late, usage data that the product and finance teams "
            "count differently, and cloud costs nobody owns. Enterprise customers demand "
            "security certifications in every tender."
        ),
        "corporate": (
            "Lift gross margin from {a}% to {b}% by {year} while growing recurring revenue",
            "After two years of growth at any cost the board changed the plan: profitable "
            "growth, measured by margin and net revenue retention.",
            "Be the platform its customers renew without a tender.",
            "Gross margin and net revenue retention in the quarterly board pack.",
        ),
        "values": (
            (
                "Cloud cost avoided per year",
                "Compute and storage no longer bought once workloads are right-sized and "
                "tagged per product, as shown in their cloud bill.",
                Decimal("1.5"),
            ),
            (
                "Recurring revenue kept through earlier churn signals per year",
                "Renewals saved by customer success acting on usage signals 90 days before "
                "renewal, measured by their revenue operations team.",
                Decimal("2.0"),
            ),
        ),
        "introducer": (
            "Quillon Cloud Partners",
            "Their cloud reseller manages the cloud contract and wants a data and security "
            "partner on the account; good relationship with the VP Engineering.",
        ),
        "vision": (
            "By {year}, {name} runs on numbers everyone trusts: usage, billing and CRM data "
            "in one platform, churn risk visible to customer success months before renewal, "
            "cloud cost owned per product, and certifications kept current by a security "
            "service we run with them."
        ),
        "response": (
            "The CFO liked the cloud cost angle and asked for a quick win this quarter. The "
            "CTO is wary of another platform and wants to see the integration with their "
            "stack. Agreed a two-week discovery with their data team."
        ),
    },
    "Logistics": {
        "site": "depot",
        "sites": "depots",
        "metric": "on-time delivery, empty kilometres and dwell time",
        "forecast": "volumes per lane and depot",
        "data": "shipment, telematics and warehouse data",
        "regulation": "customs and supply-chain security",
        "workload": "the transport management reporting",
        "partners": "shippers, carriers and customs",
        "customers": "shippers",
        "pilot": "the three busiest cross-docks",
        "kpi": (86, 91, 4, 7),
        "business": (
            "{name} moves freight by road and runs warehouses for shippers across {country} "
            "and its neighbours: about {employees} people and {revenue} in revenue. Most "
            "contracts are renewed yearly on price and service level."
        ),
        "trends": (
            "Shippers demand live tracking and carbon reporting per shipment; driver "
            "shortage; e-commerce volumes that swing by the week; customs rules that keep "
            "changing at the borders."
        ),
        "challenges": (
            "On-time delivery below the contracted level with two large shippers, empty "
            "kilometres above 20%, and depot planning done by phone and spreadsheet. "
            "Telematics data is collected but barely used."
        ),
        "corporate": (
            "Raise on-time delivery from {a}% to {b}% by {year} and cut empty kilometres",
            "Two of their largest shippers put the contract on watch over service levels; the "
            "CEO made on-time delivery the company's one number for the next three years.",
            "Be the logistics partner shippers never have to chase.",
            "On-time-in-full per shipper, monthly; empty kilometres per truck.",
        ),
        "values": (
            (
                "Penalties and detention costs avoided per year",
                "Contract penalties and detention fees avoided once depots plan on the volume "
                "forecast, from their contract management data.",
                Decimal("1.4"),
            ),
            (
                "Empty kilometres avoided per year",
                "Fuel and driver time saved by lane-level planning on telematics data, at "
                "their cost per kilometre.",
                Decimal("1.9"),
            ),
        ),
        "introducer": (
            "Routevia TMS",
            "Their transport management vendor has no analytics or integration layer of its "
            "own and has sent us two customers before.",
        ),
        "vision": (
            "By {year}, {name} sees every shipment and every truck in real time: volumes "
            "forecast per lane, depots planned on the forecast, shippers connected by API "
            "with live tracking and carbon per shipment. We run the data and integration "
            "platform with their IT team."
        ),
        "response": (
            "The COO wants the cross-dock pilot before peak season. The commercial director "
            "asked whether live tracking can be shown to the two shippers on watch. IT asked "
            "for the API gateway to be sized for peak volumes."
        ),
    },
    "Public Sector": {
        "site": "service centre",
        "sites": "service centres",
        "metric": "case backlog, handling time and citizen satisfaction",
        "forecast": "case volumes",
        "data": "case, citizen and finance data",
        "regulation": "the national security baseline",
        "workload": "the case management system",
        "partners": "other agencies and municipalities",
        "customers": "citizens and businesses",
        "pilot": "the permits team",
        "kpi": (38, 48, 15, 22),
        "business": (
            "{name} delivers public services to citizens and businesses in {country}: about "
            "{employees} staff and a budget of {revenue}. It is funded yearly by the ministry "
            "and audited by the national audit office."
        ),
        "trends": (
            "Digital-first public services, shared platforms across agencies, budget "
            "pressure, and a new national security baseline for every public body."
        ),
        "challenges": (
            "A case backlog that makes the news, handling times up as experienced staff "
            "retire, and data spread over a dozen systems. The audit office asked for better "
            "management information."
        ),
        "corporate": (
            "Raise the share of citizen cases handled online from {a}% to {b}% by {year} and "
            "halve the backlog",
            "The minister announced the digital-first target in parliament; the director "
            "general's performance agreement names it.",
            "Be the agency citizens rate easiest to deal with.",
            "Share of cases started online; backlog and handling time per service.",
        ),
        "values": (
            (
                "Case-handling hours saved per year",
                "Hours saved once cases are routed and tracked on shared data, at their "
                "standard cost per hour.",
                Decimal("1.7"),
            ),
            (
                "Data-centre cost avoided after the cloud move per year",
                "Hosting, hardware and licences no longer paid once the case workloads run in "
                "the government-approved cloud.",
                Decimal("1.1"),
            ),
        ),
        "introducer": (
            "Civica Case Systems",
            "Their case management vendor is on the framework contract and can bring us in "
            "as a subcontractor without a new tender.",
        ),
        "vision": (
            "By {year}, {name} serves citizens digital-first: cases started online, routed "
            "on shared data, management information the audit office trusts, and systems "
            "that meet the national security baseline, on a platform we run under the "
            "framework contract."
        ),
        "response": (
            "The director general supports the direction but needs it inside the framework "
            "contract. The CIO asked for the cloud move first. Procurement will check which "
            "parts need a mini-competition."
        ),
    },
}
DEFAULT_INDUSTRY = "Technology"

# Goals of one function's leadership (organisational) and of one person (personal).
ORG_GOALS = {
    "IT": (
        "Retire the on-premise data centre by {year}",
        "Half of IT's run budget keeps old hardware alive. The CIO's plan moves {workload} "
        "and the reporting to the cloud, so the team can work on what the {sites} ask for.",
        "An IT team that is a partner of the business, not its bottleneck.",
        "Run cost of IT as a share of revenue; number of business requests delivered.",
    ),
    "Finance": (
        "Close the books in 5 working days instead of 11",
        "The finance team rebuilds the same reports every month from {data}. The CFO wants "
        "the time back for analysis and a forecast the board believes.",
        "Finance as the trusted source of every number in the company.",
        "Days to close; forecast accuracy against actuals.",
    ),
    "Operations": (
        "Same-day visibility of {metric} in every {site}",
        "Every {site} reports differently and a week late; the operations leadership cannot "
        "compare {sites} or act while it still matters.",
        "Operations run on facts, with the best {site}'s practice copied everywhere.",
        "Number of {sites} on the common dashboard; {metric} trend.",
    ),
    "Procurement": (
        "Cut the supplier base by a third and bring tail spend under contract",
        "Hundreds of small suppliers, many bought outside contracts; procurement sees the "
        "spend only after the fact.",
        "Fewer, strategic suppliers who bring ideas, not just quotes.",
        "Number of active suppliers; share of spend under contract.",
    ),
    "Marketing": (
        "Know which campaigns pay back, per {customers} segment",
        "Marketing spends more each year online but cannot show the board which campaigns "
        "bring {customers}; the data sits with three agencies.",
        "Marketing budget decided on measured return, not habit.",
        "Return on marketing spend per segment and channel.",
    ),
    "Security": (
        "Pass the next {regulation} audit without major findings",
        "The last audit found gaps in identity management and incident response; the board "
        "asked for a clean report next time.",
        "Security that lets the business move faster, not a brake.",
        "Audit findings open; mean time to detect and respond to incidents.",
    ),
    "HR": (
        "Reskill 300 people for data and digital roles by {year}",
        "Experienced staff retire faster than they can be hired; HR's plan retrains people "
        "already inside the company for the new roles.",
        "A company people join to learn.",
        "People certified per year; internal fill rate of digital roles.",
    ),
}
PERSONAL_GOALS = {
    "IT": (
        "Deliver the platform programme on time: it is the centre of {first}'s objectives",
        "{first} owns the programme personally and told us the objectives for the year are "
        "tied to its milestones; a slip would land on {first}'s desk.",
        "Be seen by the executive team as the person who made IT a partner.",
        "Milestones met; the executive sponsor's feedback.",
    ),
    "Finance": (
        "Be ready for the CFO role when it opens",
        "{first} is groomed to succeed the CFO and wants to show leadership of a "
        "company-wide change, not only the monthly close.",
        "Lead a visible programme that the board connects with their name.",
        "A board presentation of the results within the year.",
    ),
    "Operations": (
        "Stop the {site} managers chasing reports so they manage their {sites}",
        "{first} came up through the {sites} and hates seeing good managers spend Monday "
        "mornings in spreadsheets.",
        "Be the operations leader who gave the {sites} their time back.",
        "Hours a week the {site} managers spend on reporting.",
    ),
    "Procurement": (
        "Show savings the CFO recognises, not just negotiated discounts",
        "{first} feels procurement's savings are doubted by finance and wants numbers both "
        "sides agree on.",
        "Procurement at the leadership table.",
        "Savings confirmed by finance.",
    ),
    "Marketing": (
        "Win the budget argument with finance with hard numbers",
        "{first} lost budget last year to a finance team that called marketing's numbers "
        "anecdotes.",
        "Be the marketer who speaks the CFO's language.",
        "Budget kept or grown; campaigns measured end to end.",
    ),
    "Security": (
        "Fewer nights on call: a response service that works without {first}",
        "{first} is the escalation point for every incident and has had three night calls "
        "this quarter; the team is too small for a rota.",
        "A security function that runs without heroics.",
        "Incidents escalated to {first}; hours out of office.",
    ),
    "HR": (
        "Make the academy a flagship programme of the company",
        "{first} launched the internal academy and needs it to show results before the next "
        "budget round.",
        "Be known for building the company's talent, not for administering it.",
        "Participants, certifications and internal moves per quarter.",
    ),
}
EXPECTATIONS = (
    (
        "Answers within days, and someone who knows their business in the room.",
        "A partner who brings ideas from other {industry} companies before they ask.",
    ),
    (
        "Fix the open support cases and keep the promises of the last renewal.",
        "Proactive advice on their roadmap and one plan shared with their leadership.",
    ),
    (
        "Straight answers on price and delivery dates.",
        "Joint planning with their team once a quarter, with our executives involved.",
    ),
)

# Ideas per product line: (title, problem statement, root cause, functions it serves, the
# product it sells, the scope of a proof of value).
IDEAS = {
    "Analytics": (
        (
            "Daily {metric} dashboards for every {site} manager",
            "{site_cap} managers see yesterday's {metric} only in a weekly spreadsheet, so "
            "problems surface after they have cost money.",
            "Each {site} reports from its own system with its own definitions; nobody owns "
            "a common set of numbers.",
            ("Operations", "Finance"),
            "Insight Dashboards",
            "one {site}",
        ),
        (
            "Forecasting of {forecast}",
            "Planning of {forecast} is done by hand from last year's numbers and misses "
            "every swing in demand.",
            "No forecasting model, and the history is spread over systems nobody has joined.",
            ("Finance", "Operations", "Procurement"),
            "Insight Forecasting",
            "{pilot}",
        ),
    ),
    "Data Platform": (
        (
            "One governed platform for {data}",
            "Every team copies {data} into its own extracts; the numbers differ in every "
            "meeting and audits take weeks.",
            "No shared data platform or ownership of data; each project built its own pipeline.",
            ("IT", "Finance"),
            "DataHub Governance",
            "the finance and {site} reporting",
        ),
        (
            "Real-time streaming of {data}",
            "Decisions that should take minutes wait for the nightly batch.",
            "The integration was built for batch reporting years ago and never changed.",
            ("IT", "Operations"),
            "DataHub Streaming",
            "one data flow, end to end",
        ),
    ),
    "Security": (
        (
            "Identity clean-up and single sign-on ahead of the {regulation} audit",
            "Leavers keep access for weeks and every application has its own passwords; the "
            "last audit flagged both.",
            "Identity is managed per application, by hand, with no joiner-mover-leaver process.",
            ("Security", "IT"),
            "Shield Identity",
            "the head-office users",
        ),
        (
            "24/7 detection and response service",
            "Incidents are found by users or by chance, and one person is the escalation "
            "point for all of them.",
            "No security monitoring outside office hours and too few people for a rota.",
            ("Security",),
            "Shield Response",
            "the critical systems",
        ),
    ),
    "Cloud Infrastructure": (
        (
            "Move {workload} to the cloud",
            "{workload_cap} run on hardware out of support, and every change needs a "
            "maintenance weekend.",
            "The data centre contract and the hardware were renewed out of habit; nobody "
            "made the case to move.",
            ("IT", "Finance"),
            "Cloud Compute",
            "the test environment",
        ),
        (
            "Cloud backup and recovery for the critical systems",
            "Restores have never been tested end to end; a ransomware attack would stop "
            "the business for days.",
            "Backups were set up system by system, with no recovery plan across them.",
            ("Security", "IT"),
            "Cloud Backup",
            "the two most critical systems",
        ),
    ),
    "Integration": (
        (
            "API gateway to connect {partners}",
            "Every new connection to {partners} is a project of months, so they still "
            "exchange files and e-mails.",
            "Point-to-point interfaces built one by one, with no common integration layer.",
            ("IT", "Operations", "Procurement"),
            "API Gateway",
            "the three busiest partner connections",
        ),
    ),
    "Professional Services": (
        (
            "Managed service for the reporting platform",
            "The internal team spends most of its time keeping the platform running and has "
            "no time for the business's requests.",
            "Too few specialists, and knowledge held by two people.",
            ("IT",),
            "Managed Service",
            "the reporting platform",
        ),
        (
            "Health check and roadmap for the data estate",
            "Nobody can say which of their systems and reports still matter, so everything "
            "is kept and paid for.",
            "No architecture ownership since the last reorganisation.",
            ("IT", "Finance"),
            "Health Check",
            "the finance and operations reports",
        ),
    ),
    "Training": (
        (
            "Data academy for {site} managers and analysts",
            "The tools are there but few people use them; requests still go to a handful of "
            "experts.",
            "No training path for the people who should use the data every day.",
            ("HR", "Operations"),
            "Online Academy Seats",
            "a first group of 30 people",
        ),
    ),
}
COMPETITORS = {
    "Analytics": ("Vantage BI", "Clearsight Analytics"),
    "Data Platform": ("Lakemont Data", "Stratum Data Cloud"),
    "Security": ("Bastion Cyber", "Sentinel Guard"),
    "Cloud Infrastructure": ("Hyperion Cloud", "Northbeam Hosting"),
    "Integration": ("Linkwise", "Conduit Integration"),
    "Professional Services": ("Kessler Consulting", "Arden Partners"),
    "Training": ("Skillforge", "Learnwell"),
}
PARTNERS = (
    "Brightlane Consulting",
    "Kestrel Integration Partners",
    "Halden Digital",
    "Corvina Advisory",
)
# What we know of the competitor holding a line (strengths, weaknesses, relationships)
# and of the one attacking ours.
INCUMBENT = (
    (
        "Incumbent in {line} for years; low price on the renewal; knows the operations team well.",
        "Old product, slow support, no roadmap they believe in; it does not connect to "
        "{ours}, which they buy from us.",
        "Close to {person}, who signed the last renewal.",
    ),
    (
        "Embedded in their processes: replacing their {line} would touch hundreds of users; "
        "a three-year contract signed last year.",
        "Price rises at every renewal; their account team changes every year; the users "
        "complain about it in every workshop.",
        "Plays golf with {person}; weaker below that level.",
    ),
)
CHALLENGER = (
    (
        "Aggressive on price, pitching a replacement of our {line}; a good demo.",
        "Small local team; no references of their size in the {industry} sector.",
        "Meeting the IT managers; no access to the business owners yet.",
    ),
    (
        "Bundles {line} into a larger platform deal at a steep discount.",
        "Their {line} offer came with a recent acquisition and is not integrated yet; support "
        "is outsourced.",
        "Their partner manager knows the procurement team; runs events for their architects.",
    ),
)
# Whose budget a product line usually comes from.
LINE_OWNERS = {
    "Analytics": ("Finance", "Operations", "IT"),
    "Data Platform": ("IT",),
    "Security": ("Security", "IT"),
    "Cloud Infrastructure": ("IT",),
    "Integration": ("IT", "Operations"),
    "Professional Services": ("IT", "Operations"),
    "Training": ("HR",),
}
SOURCE_NOTES = (
    "Quarterly business review",
    "One-to-one over lunch",
    "Workshop with their leadership team",
    "Call after the steering meeting",
)


# -- the second half of a plan: objectives, strategies, actions ---------------------------
# Each strategy: (how, resources it needs, actions). Each action: (what, owner ("rep",
# "manager" or "exec"), (min, max) effort hours, the contact it involves, phase). Phases:
# 0 = the first weeks of the period, 1 = months 2-4, 2 = months 5-8, 3 = months 9-12.
# Placeholders: the industry nouns and {leader} {dm} {weak} {blocker} {champion} {coach}
# (the customer's people on the map), {main} {new} {introducer} {summit}.
STRATEGIES = {
    "revenue": (
        (
            "Expand {main} to every {site}: the installed base is the fastest way to the goal.",
            "Solution engineer two days a month; customer success for the roll-out plan.",
            (
                (
                    "Map where {main} runs per {site}, and where not, with {champion}",
                    "rep",
                    (6, 10),
                    "champion",
                    0,
                ),
                ("Roll-out proposal for the remaining {sites} to {dm}", "rep", (8, 14), "dm", 1),
                ("Price approval for a multi-year volume agreement", "manager", (3, 6), "", 1),
                ("Close the roll-out order before their budget freeze", "rep", (6, 12), "dm", 2),
            ),
        ),
        (
            "Win the co-funded proof of value on {pilot} and turn it into the first roll-out "
            "order.",
            "Our solution engineer for eight weeks; the approved co-funding.",
            (
                (
                    "Agree the proof of value's success criteria with {champion}",
                    "rep",
                    (4, 8),
                    "champion",
                    0,
                ),
                ("Kick-off workshop for {pilot}", "rep", (8, 14), "coach", 0),
                ("Present the results to {leader} and {dm}", "rep", (6, 10), "leader", 2),
                (
                    "Sponsor call with {leader} on the roll-out decision",
                    "exec",
                    (2, 3),
                    "leader",
                    2,
                ),
            ),
        ),
        (
            "Renew early: bring this year's renewals into one multi-year agreement with a "
            "price hold.",
            "Deal desk; a legal review of the framework agreement.",
            (
                ("Renewal calendar and usage review with {coach}", "rep", (4, 8), "coach", 0),
                ("Multi-year offer approved by the deal desk", "manager", (3, 6), "", 1),
                ("Negotiate the agreement with {dm}", "rep", (8, 14), "dm", 2),
            ),
        ),
    ),
    "business_development": (
        (
            "Open {new} with a partner-delivered pilot on {pilot}.",
            "Partner consultants for the pilot; the pending investment case.",
            (
                ("Brief the partner on {name} and the pilot scope", "rep", (4, 8), "", 0),
                ("Discovery workshop on {metric} with {champion}", "rep", (6, 12), "champion", 1),
                ("Business case for {new} to {dm}", "rep", (8, 14), "dm", 2),
                (
                    "Letter from our executive to {leader} on the partnership",
                    "exec",
                    (2, 3),
                    "leader",
                    2,
                ),
            ),
        ),
        (
            "Bring in {introducer}: a joint offer with the vendor they already trust.",
            "Their account team's time; a referral agreement.",
            (
                ("Joint account plan with the account team of {introducer}", "rep", (4, 8), "", 0),
                ("Joint briefing of {dm} on {data}", "rep", (6, 10), "dm", 1),
                ("Referral agreement with {introducer} signed", "manager", (3, 5), "", 1),
            ),
        ),
        (
            "Let a {industry} reference do the selling to {weak}.",
            "A reference customer's time; travel for one site visit.",
            (
                ("Choose and prepare the reference customer", "rep", (3, 6), "", 1),
                ("Reference call for {weak}", "rep", (2, 4), "weak", 2),
                (
                    "Site visit at the reference with {weak} and {coach}",
                    "manager",
                    (6, 10),
                    "weak",
                    2,
                ),
            ),
        ),
    ),
    "cross_account": (
        (
            "A relationship with every decision maker, starting with {weak}.",
            "Our manager's and executive's time each quarter.",
            (
                ("Introduction to {weak} through {champion}", "rep", (3, 6), "weak", 0),
                (
                    "Lunch with {weak} on their priorities for {metric}",
                    "manager",
                    (3, 5),
                    "weak",
                    1,
                ),
                ("Quarterly business review with {dm} and {coach}", "rep", (6, 10), "dm", 2),
            ),
        ),
        (
            "Address {blocker}'s objections head-on instead of going around them.",
            "A solution architect for one architecture review.",
            (
                (
                    "One-to-one with {blocker} on what worries them about us",
                    "rep",
                    (3, 6),
                    "blocker",
                    1,
                ),
                ("Architecture review with {blocker}'s team", "rep", (8, 12), "blocker", 2),
                (
                    "Call with {leader} on how the decision will be made",
                    "exec",
                    (2, 3),
                    "leader",
                    2,
                ),
            ),
        ),
        (
            "Leader to leader: a quarterly executive meeting with {leader}, prepared by the team.",
            "Our executive half a day a quarter.",
            (
                (
                    "Briefing pack for the executive meeting with {leader}",
                    "rep",
                    (4, 8),
                    "leader",
                    1,
                ),
                ("Executive meeting with {leader}", "exec", (2, 4), "leader", 3),
                (
                    "Follow-up letter and actions from the executive meeting",
                    "rep",
                    (2, 4),
                    "leader",
                    3,
                ),
            ),
        ),
    ),
    "marketing": (
        (
            "A joint case study on {pilot}, published by both companies.",
            "Our marketing team's writer; their communications team's approval.",
            (
                (
                    "Agree the case study with {champion} and their communications team",
                    "rep",
                    (2, 4),
                    "champion",
                    2,
                ),
                (
                    "Interviews and the first draft of the case study",
                    "manager",
                    (6, 10),
                    "champion",
                    3,
                ),
            ),
        ),
        (
            "{dm} on stage at our {summit}.",
            "A speaker slot; help with the talk from our marketing team.",
            (
                ("Invite {dm} to speak at the {summit}", "exec", (2, 3), "dm", 1),
                ("Prepare the talk with {dm}'s team", "rep", (4, 8), "dm", 3),
            ),
        ),
        (
            "A user day for their {site} managers and analysts.",
            "The user day venue; two of our consultants for the sessions.",
            (
                ("Invitations to their {site} managers", "rep", (2, 4), "coach", 2),
                ("Run the user day sessions", "manager", (8, 12), "coach", 3),
            ),
        ),
    ),
}
OBJECTIVES = {
    "revenue": ("Grow sales to {name} from {run_rate} to {goal}", "Sales in the plan period"),
    "business_development": (
        "Turn {n} white-space ideas into opportunities, {new} first",
        "White-space opportunities",
    ),
    "cross_account": (
        "Meet {n} of their people regularly, across every function we sell to",
        "Contacts met in the last 180 days",
    ),
    "marketing": (
        "Three marketing moments with {name}: a case study, a speaker and a reference",
        "Marketing moments delivered",
    ),
}
QUALITATIVE = (
    "Be the partner {leader}'s leadership team calls first about {metric}.",
    "Be known at {name} as the company that knows their {sites}, not only its products.",
)
SUMMITS = ("{industry} customer summit", "{industry} leadership forum")
EXECUTIVE_TOPICS = (
    "Executive meeting: priorities for the year",
    "Executive dinner: the three-year vision",
    "Executive briefing: {metric}",
)
KICK_OFF_HOURS = (37, 41)  # the rep's hours in a plan's first month: three plans over-commit
PHASES = ((2, 27), (35, 120), (121, 240), (241, None))


@dataclass
class IdeaPlan:
    """One idea of an example plan before it is written."""

    line: str
    template: tuple
    whitespace: bool
    weight: float
    delivery: str = Delivery.DIRECT
    partner: str = ""
    role: str = ""  # "opportunity" (co-funded, approved), "pilot" (pending), "qualified"


# -- helpers -------------------------------------------------------------------------------
def money(amount) -> str:
    x = float(amount)
    if x >= 1e9:
        return f"{x / 1e9:.1f}B"
    if x >= 1e6:
        return f"{x / 1e6:.1f}M"
    if x >= 1e3:
        return f"{x / 1e3:.0f}k"
    return f"{x:.0f}"


def _unit(amount: Decimal) -> Decimal:
    """A round step for amounts about this size (1,000 for a few 100,000s, ...)."""
    digits = len(str(int(max(amount, Decimal(1)))))
    return Decimal(10) ** max(2, digits - 3)


def _round(amount, unit: Decimal) -> Decimal:
    return (Decimal(amount) / unit).quantize(Decimal(1)) * unit


def _fill(text: str, ctx: dict) -> str:
    return text.format_map(ctx)


def _name(contact) -> str:
    return f"{contact.first_name} {contact.last_name}".strip()


def _by_seniority(contacts):
    return sorted(
        contacts,
        key=lambda c: (SENIORITY_RANK.get(c.seniority, 5), c.last_name, c.first_name, c.email),
    )


# -- choosing the accounts -----------------------------------------------------------------
def biggest_accounts(user, count: int) -> list:
    """``user``'s accounts with the most revenue over the last 12 months of sales, one per
    customer group, companies before their divisions, each with at least three people
    there (a plan is made with the customer's people)."""
    from keyplan.accounts.models import Account
    from keyplan.sales.models import SalesMonth
    from keyplan.territory.analysis.params import Window

    window = Window.default()
    ranked = (
        SalesMonth.objects.filter(account__owner=user, month__range=(window.start, window.end))
        .values("account")
        .annotate(total=Sum("amount"))
        .order_by("-total", "account__external_id", "account")
    )
    accounts = Account.objects.in_bulk([row["account"] for row in ranked])
    # Whole companies first (a plan for one division only when there are too few).
    candidates = sorted((accounts[row["account"]] for row in ranked), key=lambda a: a.depth > 0)
    candidates = [a for a in candidates if a.contacts.filter(is_active=True).count() >= 3]
    chosen, families = [], set()
    for account in candidates:  # one plan per customer group ...
        if len(chosen) < count and _top(account) not in families:
            chosen.append(account)
            families.add(_top(account))
    for account in candidates:  # ... unless the rep has too few groups
        if len(chosen) < count and account not in chosen:
            chosen.append(account)
    return chosen


def _top(account) -> int:
    while account.parent_id:
        account = account.parent
    return account.pk


def _lines_bought(account) -> dict[str, Decimal]:
    from keyplan.sales.models import SalesMonth

    return {
        row["product__product_line__name"]: row["total"]
        for row in SalesMonth.objects.filter(account=account, product__isnull=False)
        .values("product__product_line__name")
        .annotate(total=Sum("amount"))
    }


def _whitespace(bought: dict, all_lines: Sequence[str]) -> list[str]:
    """Lines the account does not buy, those bought together with its own lines first."""
    from keyplan.territory.generator.vocabulary import CATALOGUE

    def affinity(line):
        return sum(CATALOGUE.get(b, (0, 0, {}))[2].get(line, 0) for b in bought)

    return sorted((ln for ln in all_lines if ln not in bought), key=lambda ln: (-affinity(ln), ln))


# -- one plan --------------------------------------------------------------------------------
class PlanWriter:
    def __init__(
        self,
        account,
        *,
        rep,
        manager,
        r: random.Random,
        ratio: float,
        proposal: bool,
        executive=None,
        pairing_overdue: bool = False,
    ):
        from keyplan.catalog.models import Product, ProductLine

        self.account, self.rep, self.manager, self.r = account, rep, manager, r
        self.executive, self.pairing_overdue = executive, pairing_overdue
        self.ratio, self.proposal = ratio, proposal
        self.today = timezone.localdate()
        self.profile = PROFILES.get(account.industry, PROFILES[DEFAULT_INDUSTRY])
        self.lines = {pl.name: pl for pl in ProductLine.objects.order_by("name")}
        self.products = {p.name: p for p in Product.objects.order_by("-pk")}
        self.bought = _lines_bought(account)
        self.whitespace = _whitespace(self.bought, list(self.lines))
        contacts = list(account.contacts.filter(is_active=True))
        self.contacts = _by_seniority(contacts)
        p = self.profile
        self.ctx = {
            "name": account.name,
            "country": account.country or "its home market",
            "employees": f"{account.employees:,}" if account.employees else "several thousand",
            "revenue": money(account.annual_revenue) if account.annual_revenue else "—",
            "industry": (account.industry or DEFAULT_INDUSTRY).lower(),
            "year": self.today.year + 3,
            "site_cap": p["site"][:1].upper() + p["site"][1:],
            "workload_cap": p["workload"][:1].upper() + p["workload"][1:],
            **{k: v for k, v in p.items() if isinstance(v, str)},
        }

    def fill(self, text: str, **extra) -> str:
        return _fill(text, self.ctx | extra)

    def write(self) -> AccountPlan:
        self.begin()
        return self.finish()

    def begin(self) -> None:
        """Draft the plan and set its goals from the account's facts."""
        start, end = default_period(self.today)
        self.plan = services.plan_create(
            account=self.account, user=self.rep, period_start=start, period_end=end
        )
        self._goals_and_insights()

    def finish(self) -> AccountPlan:
        """Everything else, through to the activation."""
        self._values()
        self._customer_goals()
        self._research()
        self._vendors()
        self._ideas()
        self._investments_and_moves()
        if self.proposal:
            self._proposal()
        # The second half, drawn from its own generator so the first half stays as it was.
        self.x = random.Random(self.r.getrandbits(64))
        self._map()
        self._pairing(overdue=self.pairing_overdue)
        self._objectives()
        self._milestones_and_help()
        self.plan = services.plan_activate(plan=self.plan, user=self.rep)
        return self.plan

    def update(self, **fields):
        self.plan = services.plan_update(plan=self.plan, user=self.rep, **fields)

    # step 1: the numbers and our insights ----------------------------------------------
    def _goals_and_insights(self):
        r, facts = self.r, selectors.plan_facts(self.plan)
        run_rate = facts.run_rate
        self.unit = _unit(run_rate)
        self.run_rate = run_rate
        self.goal = _round(run_rate * Decimal(str(round(r.uniform(1.15, 1.3), 3))), self.unit)
        stretch = _round(self.goal * Decimal(str(round(r.uniform(1.45, 1.55), 3))), self.unit)
        aspiration = _round(run_rate * Decimal(str(round(r.uniform(2.1, 2.6), 2))), self.unit)
        ours = sorted(self.bought, key=lambda ln: (-self.bought[ln], ln))
        main = " and ".join(ours[:2]) or "our core lines"
        new = " and ".join(self.whitespace[:2]) or "managed services"
        share = (
            f" We estimate our share of their wallet at {facts.share_of_wallet:.0%} "
            f"(potential {money(facts.potential)} a year)."
            if facts.share_of_wallet and facts.share_of_wallet < 0.9
            else ""
        )
        top = self.contacts[0]
        perception = r.choice(
            (
                "They see us as a reliable {main} supplier that delivers what was sold, not yet "
                "as a partner who brings ideas. {top} ({title}) knows us from renewals more than "
                "from strategy discussions.",
                "A solid vendor for {main}, technically strong, but we show up when a contract "
                "ends. {top} ({title}) told us we should know their business better.",
            )
        ).format(main=main, top=_name(top), title=top.title)
        self.update(
            revenue_goal=self.goal,
            stretch_goal=stretch,
            aspiration_years=3,
            aspiration_value=aspiration,
            aspiration_statement=self.fill(
                "By {year}, be {name}'s trusted partner for data, analytics and security: "
                "{aspiration} a year in revenue (from {run_rate} today), {new} in place next to "
                "{main}, a sponsor on their executive team and a plan we review with them every "
                "quarter.",
                aspiration=money(aspiration),
                run_rate=money(run_rate),
                new=new,
                main=main,
            ),
            value_perception=perception + share,
            our_aspirations=self.fill(
                "Move from supplier of {main} to the partner they call first about {metric}. "
                "Grow {run_rate} to {goal} this year by widening what they use and opening "
                "{new}; build relationships above IT, with the business owners of their goals.",
                main=main,
                new=new,
                run_rate=money(run_rate),
                goal=money(self.goal),
            ),
        )

    def _values(self):
        for metric, description, factor in self.profile["values"]:
            amount = _round(
                self.run_rate * factor * Decimal(str(self.r.uniform(0.9, 1.1))), self.unit
            )
            services.element_save(
                kind="value",
                plan=self.plan,
                user=self.rep,
                metric=metric,
                amount=amount,
                description=description,
            )

    # step 2: the customer's goals, heard from their people --------------------------------
    def _heard(self, contact) -> tuple[date, str]:
        """When and where we heard it: our last interaction with the person, else a
        recent meeting."""
        from keyplan.accounts.models import Interaction

        last = (
            Interaction.objects.filter(contacts=contact, date__lte=self.today)
            .order_by("-date", "external_id")
            .first()
        )
        if last is not None and (self.today - last.date).days <= 365:
            return last.date, (last.subject or last.get_kind_display())[:255]
        return self.today - timedelta(days=self.r.randint(12, 120)), self.r.choice(SOURCE_NOTES)

    def _goal(self, *, level, contact, texts, title_extra=None, organisation=None, target=None):
        r = self.r
        title, story, aspiration, measure = texts
        extra = {"first": contact.first_name or contact.last_name, **(title_extra or {})}
        now, next_year = r.choice(EXPECTATIONS)
        heard_on, where = self._heard(contact)
        people = [contact]
        if level == GoalLevel.CORPORATE and contact.reports_to_id:
            boss = next((c for c in self.contacts if c.pk == contact.reports_to_id), None)
            if boss is not None:
                people.append(boss)
        return services.element_save(
            kind="goal",
            plan=self.plan,
            user=self.rep,
            level=level,
            title=self.fill(title, **extra)[:255],
            organisation=organisation,
            story=self.fill(story, **extra),
            customer_aspiration=self.fill(aspiration, **extra),
            value_measure=self.fill(measure, **extra),
            target_value=target,
            expectation_now=self.fill(now, **extra),
            expectation_next_year=self.fill(next_year, **extra),
            source_contact=contact,
            source_date=heard_on,
            source_note=where,
            contacts=people,
        )

    def _customer_goals(self):
        r = self.r
        a_lo, a_hi, d_lo, d_hi = self.profile["kpi"]
        a = r.randint(a_lo, a_hi)
        kpi = {"a": a, "b": a + r.randint(d_lo, d_hi)}
        leader = min(
            self.contacts,
            key=lambda c: (
                c.title != "Chief Executive Officer",
                SENIORITY_RANK.get(c.seniority, 5),
                LEADING_FUNCTIONS.index(c.function) if c.function in LEADING_FUNCTIONS else 9,
                c.last_name,
                c.email,
            ),
        )
        used = {leader.pk}
        self.goals = {}
        self.goals["corporate"] = self._goal(
            level=GoalLevel.CORPORATE,
            contact=leader,
            texts=self.profile["corporate"],
            title_extra=kpi,
        )
        self.goals["corporate"].function = "Executive"
        # Organisational goals: the senior people of the functions, most senior first.
        functional = [c for c in self.contacts if c.function in ORG_GOALS and c.pk not in used]
        org_count = 2 if r.random() < 0.5 else 1
        functions_done = []
        units = list(self.account.children.order_by("name"))
        # Leaders first; a manager's word for their function only when no leader is known.
        leaders = [c for c in functional if c.seniority in ("c_level", "vp", "director")]
        for contact in leaders + [c for c in functional if c not in leaders]:
            if len(functions_done) == org_count or (functions_done and contact not in leaders):
                break
            if contact.function in functions_done:
                continue
            goal = self._goal(
                level=GoalLevel.ORGANISATIONAL,
                contact=contact,
                texts=ORG_GOALS[contact.function],
                organisation=(
                    r.choice(units)
                    if units and contact.seniority != "c_level" and r.random() < 0.5
                    else None
                ),
            )
            goal.function = contact.function
            self.goals[f"org:{contact.function}"] = goal
            functions_done.append(contact.function)
            used.add(contact.pk)
        # A personal goal: a director or manager, a champion or supporter if we have one.
        rest = [c for c in self.contacts if c.pk not in used and c.function in PERSONAL_GOALS]
        rest.sort(
            key=lambda c: (
                c.decision_role != "champion",
                c.attitude != "supporter",
                c.seniority not in ("director", "manager"),
                SENIORITY_RANK.get(c.seniority, 5),
                c.last_name,
                c.email,
            )
        )
        if rest:
            person = rest[0]
            goal = self._goal(
                level=GoalLevel.PERSONAL,
                contact=person,
                texts=PERSONAL_GOALS[person.function],
            )
            goal.function = person.function
            self.goals["personal"] = goal

    # step 3: research, the Three Cs --------------------------------------------------------
    def _research(self):
        from keyplan.accounts.models import Account
        from keyplan.sales.models import SalesMonth

        p = self.profile
        ours = sorted(self.bought, key=lambda ln: (-self.bought[ln], ln))
        new = self.whitespace[:2]
        peers = []
        if new:
            peer_ids = (
                SalesMonth.objects.filter(
                    product__product_line__name=new[0],
                    account__industry=self.account.industry,
                    account__parent__isnull=True,
                )
                .exclude(account=self.account)
                .values_list("account", flat=True)
                .distinct()
            )
            peers = list(
                Account.objects.filter(pk__in=peer_ids)
                .order_by("name")
                .values_list("name", flat=True)[:2]
            )
        references = (
            f"{' and '.join(peers)} ({self.ctx['industry']}) run {new[0]} with us and agreed to "
            "take a reference call."
            if peers
            else f"Two {self.ctx['industry']} customers in other regions on "
            f"{', '.join(new) or 'our platform'}; the case studies are in the sales library."
        )
        self.update(
            customer_business=self.fill(p["business"]),
            customer_trends=self.fill(p["trends"]),
            customer_challenges=self.fill(p["challenges"]),
            our_capabilities=(
                f"Installed base in {', '.join(ours) or 'several lines'}, with a customer "
                f"success manager and a solution engineer who know their environment. "
                f"Strong {self.ctx['industry']} practice: data models and dashboards for "
                f"{self.ctx['metric']} ready to use."
            ),
            our_references=references
            + " Our own delivery at this account: every renewal on time, support satisfaction "
            "above 8/10.",
            our_offers=(
                f"{' and '.join(new) or 'Managed services'} to complete what they have; "
                "co-funded proof of value for new lines; multi-year agreement with a price "
                "hold in exchange for volume."
            ),
        )

    def _vendors(self):
        r = self.r
        new = self.whitespace[0] if self.whitespace else None
        ours = sorted(self.bought, key=lambda ln: (-self.bought[ln], ln))
        contested = ours[0] if ours else "Analytics"
        owners = LINE_OWNERS.get(new, ()) if new else ()
        senior = next(
            (c for c in self.contacts if c.function in owners),
            self.contacts[min(1, len(self.contacts) - 1)],
        )
        held = new or (ours[1] if len(ours) > 1 else contested)
        person = f"{_name(senior)} ({senior.title})"
        rows = [
            (
                COMPETITORS.get(held, ("Incumbent vendor",))[0],
                [held],
                r.randint(55, 80) if new else r.randint(30, 45),
                *(t.format(line=held, ours=contested, person=person) for t in r.choice(INCUMBENT)),
            ),
            (
                COMPETITORS.get(contested, ("Challenger",))[-1],
                [contested],
                r.randint(15, 35),
                *(
                    t.format(line=contested, industry=self.ctx["industry"])
                    for t in r.choice(CHALLENGER)
                ),
            ),
        ]
        # An introducer: a vendor of theirs who would bring us into the white space.
        introducer, why = self.profile["introducer"]
        rows.append((introducer, self.whitespace[:2] or ours[:1], None, why, "", ""))
        for name, lines, share, strengths, weaknesses, relationships in rows:
            services.element_save(
                kind="vendor",
                plan=self.plan,
                user=self.rep,
                name=name,
                estimated_spend=(
                    _round(self.run_rate * Decimal(share) / 100, self.unit) if share else None
                ),
                estimated_share=Decimal(share) if share else None,
                strengths=strengths,
                weaknesses=weaknesses,
                relationships=relationships,
                product_lines=[self.lines[ln] for ln in lines if ln in self.lines],
                relation=VendorKind.COMPETITOR if share is not None else VendorKind.INTRODUCER,
            )

    # step 4: aspiration design, the ideas ---------------------------------------------------
    def _pick_ideas(self) -> list[IdeaPlan]:
        r = self.r
        n = r.randint(5, 7)
        picks: list[IdeaPlan] = []
        used = set()

        def add(line: str, whitespace: bool) -> None:
            options = [t for t in IDEAS.get(line, ()) if (line, t[0]) not in used]
            if options and len(picks) < n:
                template = r.choice(options)
                used.add((line, template[0]))
                picks.append(IdeaPlan(line, template, whitespace, r.uniform(0.6, 1.3)))

        if self.whitespace:
            add(self.whitespace[0], True)
        ours = [ln for ln in sorted(self.bought, key=lambda ln: (-self.bought[ln], ln))]
        for _twice in range(2):  # up to two ideas per line they buy
            for line in ours:
                add(line, False)
        for line in self.whitespace[1:]:
            add(line, True)
        # Roles: the biggest expansion idea is co-funded and becomes an opportunity; the
        # white-space idea is delivered with a partner and waits for its investment; one
        # more idea is qualified.
        expansion = [p for p in picks if not p.whitespace] or picks[1:2]
        expansion[0].delivery, expansion[0].role, expansion[0].weight = (
            Delivery.JOINT,
            "opportunity",
            1.6,
        )
        pilot = next((p for p in picks if p.whitespace), picks[-1])
        pilot.delivery, pilot.role, pilot.partner = Delivery.PARTNER, "pilot", r.choice(PARTNERS)
        rest = [p for p in picks if not p.role]
        if rest:
            rest[-1].role = "qualified"
        for p in rest[:-1]:
            services_line = p.line in ("Training", "Professional Services")
            if p.delivery == Delivery.DIRECT and services_line and r.random() < 0.5:
                p.delivery, p.partner = Delivery.PARTNER, r.choice(PARTNERS)
        return picks

    def _goal_for(self, functions: Sequence[str]):
        for goal in self.goals.values():
            if getattr(goal, "function", "") in functions:
                return goal
        return self.goals["corporate"]

    def _link_opportunity(self, target: Decimal) -> Decimal:
        """Count the account's biggest open opportunity in the plan when it fits."""
        from keyplan.sales.models import Opportunity

        opp = (
            Opportunity.objects.filter(account=self.account, status="open", amount__isnull=False)
            .order_by("-amount", "external_id", "pk")
            .first()
        )
        if opp is None or opp.amount > target * Decimal("0.3") or not opp.amount:
            return Decimal(0)
        self.plan = services.plan_link_opportunity(plan=self.plan, user=self.rep, opportunity=opp)
        return opp.amount

    def _ideas(self):
        r = self.r
        picks = self._pick_ideas()
        target = _round(self.goal * Decimal(str(round(self.ratio, 3))), self.unit)
        linked = self._link_opportunity(target)
        total = target - linked
        weights = sum(p.weight for p in picks)
        values = [_round(total * Decimal(str(p.weight / weights)), self.unit) for p in picks]
        values[-1] = _round(total - sum(values[:-1]), self.unit)
        start, end = self.plan.period_start, self.plan.period_end
        span = (end - start).days
        self.ideas = []
        for p, value in zip(picks, values, strict=True):
            title, problem, root, functions, product_name, _scope = p.template
            product = self.products.get(product_name)
            expected = start + timedelta(days=r.randint(span // 6, span - 20))
            if p.role == "opportunity":
                expected = start + timedelta(days=r.randint(45, span // 3))
            idea = services.element_save(
                kind="idea",
                plan=self.plan,
                user=self.rep,
                title=self.fill(title)[:255],
                problem_statement=self.fill(problem),
                root_cause=self.fill(root),
                goal=self._goal_for(functions),
                delivery=p.delivery,
                partner_name=p.partner,
                annual_value=value,
                expected_date=expected,
                confidence=r.choice((20, 25, 30)) if p.whitespace else r.choice((40, 50, 60)),
                needs_investment=p.role in ("opportunity", "pilot"),
                product=product,
                product_line=self.lines.get(p.line),
            )
            idea.demo = p
            self.ideas.append(idea)

    # step 5: investments, and the ideas moving on ----------------------------------------------
    def _investment(self, idea, *, co_funded: bool):
        r = self.r
        value = idea.annual_value
        scope = self.fill(idea.demo.template[5])
        offer = idea.product or idea.product_line or "the new line"
        if co_funded:
            title = f"Co-funded proof of value: {idea.title[:1].lower()}{idea.title[1:]}"
            description = (
                f"Eight weeks on {scope}: our solution engineer with two of their people, "
                "success criteria signed by the sponsor before we start, results presented to "
                "their leadership. They pay 40% of the cost."
            )
            share = Decimal(40)
            risks = (
                "Their data quality may slow the first weeks; their team is stretched until "
                "the end of the quarter; the sponsor must keep the scope small."
            )
        else:
            title = f"Free pilot of {offer} with {idea.partner_name or 'our partner'}"
            description = (
                f"{offer} on {scope}, implemented by {idea.partner_name or 'our partner'} at "
                "our cost for three months, to prove the case before they budget it for next "
                "year."
            )
            share = Decimal(0)
            risks = (
                "They already pay the incumbent; without a sponsor on their side the pilot "
                "could end as a free service. Partner capacity in the first month."
            )
        case = services.element_save(
            kind="investment",
            plan=self.plan,
            user=self.rep,
            idea=idea,
            title=title[:255],
            description=description,
            cost=_round(value * Decimal(str(round(r.uniform(0.08, 0.14), 3))), self.unit),
            customer_share=share,
            expected_return=_round(value * Decimal(str(round(r.uniform(2.2, 3.0), 2))), self.unit),
            payback_months=r.randint(8, 16),
            risks=risks,
            in_proposal=self.proposal and co_funded,
        )
        return services.investment_submit(case=case, user=self.rep), scope

    def _investments_and_moves(self):
        by_role = {i.demo.role: i for i in self.ideas if i.demo.role}
        joint = by_role.get("opportunity")
        if joint is not None:
            case, scope = self._investment(joint, co_funded=True)
            services.investment_decide(
                case=case,
                user=self.manager,
                approve=True,
                comment=self.r.choice(
                    (
                        "Approved. Their 40% share shows they mean it, and the sponsor is "
                        f"senior enough. Keep it to {scope}, and bring the results to the "
                        "forecast call before we talk about a roll-out.",
                        "Approved: good case, and co-funding makes it a joint commitment. "
                        f"Stay within {scope}; I want the success criteria in writing before "
                        "our people start.",
                    )
                ),
            )
            services.idea_move(idea=joint, user=self.rep, stage=IdeaStage.QUALIFIED)
            services.idea_move(idea=joint, user=self.rep, stage=IdeaStage.OPPORTUNITY)
        if "pilot" in by_role:
            self._investment(by_role["pilot"], co_funded=False)
        if "qualified" in by_role:
            services.idea_move(idea=by_role["qualified"], user=self.rep, stage=IdeaStage.QUALIFIED)

    # step 6: the proposal, presented to their leader ------------------------------------------
    def _proposal(self):
        from keyplan.plans.models import Idea

        for idea in Idea.objects.filter(plan=self.plan).order_by("-annual_value", "pk")[:3]:
            services.element_save(
                kind="idea", plan=self.plan, user=self.rep, instance=idea, in_proposal=True
            )
        leader = self.goals["corporate"].source_contact
        self.update(
            proposal_vision=self.fill(self.profile["vision"]),
            proposal_presented_on=self.today - timedelta(days=self.r.randint(3, 12)),
            proposal_presented_to=leader,
            proposal_response=self.fill(self.profile["response"]),
        )

    # step 7: the relationship map, and leader to leader ------------------------------------
    def _map(self):
        """Who decides, who helps and who blocks, and who of us holds each relationship:
        most decision makers covered, one only weakly and one influential blocker, so the
        map has warnings to act on."""
        from keyplan.accounts.choices import Attitude, DecisionRole, RelationshipStrength
        from keyplan.accounts.models import AccountLineage, Contact

        x, people = self.x, self.contacts
        leader = self.goals["corporate"].source_contact
        reports = {c.pk: sum(1 for d in people if d.reports_to_id == c.pk) for c in people}
        roles: dict[int, tuple] = {}
        rep, manager, execu = self.rep, self.manager, self.executive or self.manager
        roles[leader.pk] = (
            DecisionRole.DECISION_MAKER,
            x.choice((Attitude.SUPPORTER, Attitude.NEUTRAL)),
            RelationshipStrength.MEDIUM,
            execu,
        )
        # The blocker: a senior leader (or someone with a team) who favours the incumbent.
        rest = [c for c in people if c.pk not in roles]
        influential = [c for c in rest if c.seniority in ("c_level", "vp")] or [
            c for c in rest if reports[c.pk]
        ]
        influential.sort(key=lambda c: (c.function not in ("IT", "Procurement", "Security"),))
        blocker = influential[0] if influential else None
        if blocker is not None:
            roles[blocker.pk] = (
                DecisionRole.BLOCKER,
                Attitude.DETRACTOR,
                RelationshipStrength.WEAK,
                rep,
            )
        # Decision makers: the other C-levels (VPs when there are too few), one of them met
        # only once or twice.
        rest = [c for c in people if c.pk not in roles]
        deciders = [c for c in rest if c.seniority == "c_level"][:3]
        if len(deciders) < 2:
            deciders += [c for c in rest if c.seniority in ("vp", "director")][: 2 - len(deciders)]
        weak = x.choice(deciders) if deciders else None
        # Covered by our manager first, then the rep, then our executive: not single-threaded.
        holders = iter([manager, rep, execu] * 2)
        for c in deciders:
            covered = c is not weak
            roles[c.pk] = (
                DecisionRole.DECISION_MAKER,
                x.choice((Attitude.SUPPORTER, Attitude.NEUTRAL)) if covered else Attitude.NEUTRAL,
                x.choice((RelationshipStrength.MEDIUM, RelationshipStrength.STRONG))
                if covered
                else RelationshipStrength.WEAK,
                next(holders) if covered else rep,
            )
        # The champion: whose personal goal we help with; a coach who tells us how
        # decisions are really made.
        personal = self.goals.get("personal")
        rest = [c for c in people if c.pk not in roles]
        champion = (
            personal.source_contact
            if personal is not None and personal.source_contact.pk not in roles
            else next((c for c in rest if c.seniority in ("director", "vp")), None)
        )
        if champion is not None:
            roles[champion.pk] = (
                DecisionRole.CHAMPION,
                Attitude.SUPPORTER,
                RelationshipStrength.STRONG,
                rep,
            )
        rest = [c for c in people if c.pk not in roles]
        coach = next((c for c in rest if c.seniority in ("manager", "director")), None)
        if coach is not None:
            roles[coach.pk] = (
                DecisionRole.COACH,
                Attitude.SUPPORTER,
                RelationshipStrength.MEDIUM,
                rep,
            )
        # The people of its divisions influence or use what is bought, but the decisions
        # are made at the top.
        people = people + list(
            Contact.objects.filter(
                account__in=AccountLineage.objects.filter(ancestor=self.account).values(
                    "descendant_id"
                ),
                is_active=True,
            )
            .exclude(account=self.account)
            .order_by("pk")
        )
        for c in people:
            if c.pk in roles:
                continue
            if c.seniority in ("c_level", "vp", "director"):
                strength = x.choice((RelationshipStrength.WEAK, RelationshipStrength.MEDIUM))
                roles[c.pk] = (
                    DecisionRole.INFLUENCER,
                    x.choice((Attitude.SUPPORTER, Attitude.NEUTRAL, Attitude.NEUTRAL)),
                    strength,
                    manager
                    if strength == RelationshipStrength.MEDIUM and x.random() < 0.3
                    else rep,
                )
            else:
                strength = x.choice(
                    (
                        RelationshipStrength.NONE,
                        RelationshipStrength.WEAK,
                        RelationshipStrength.MEDIUM,
                    )
                )
                roles[c.pk] = (
                    DecisionRole.USER,
                    x.choice((Attitude.SUPPORTER, Attitude.NEUTRAL)),
                    strength,
                    None if strength == RelationshipStrength.NONE else rep,
                )
        for c in people:
            role, attitude, strength, owner = roles[c.pk]
            Contact.objects.filter(pk=c.pk).update(
                decision_role=role,
                attitude=attitude,
                relationship_strength=strength,
                relationship_owner=owner,
            )
            c.decision_role, c.attitude, c.relationship_strength = role, attitude, strength
            c.relationship_owner = owner
        dms = [c for c in deciders if c is not weak]
        self.who = {
            "leader": leader,
            "dm": dms[0] if dms else leader,
            "weak": weak or leader,
            "blocker": blocker or leader,
            "champion": champion or leader,
            "coach": coach or champion or leader,
        }
        self.ctx |= {key: _name(c) for key, c in self.who.items()}

    def _pairing(self, *, overdue: bool):
        """Our executive paired with their leader, and the last executive meeting: recent,
        or (``overdue``) longer ago than the agreed cadence."""
        from keyplan.accounts.models import Interaction

        if self.executive is None:
            return
        leader, x = self.who["leader"], self.x
        services.element_save(
            kind="pairing",
            plan=self.plan,
            user=self.rep,
            our_executive=self.executive,
            their_executive=leader,
            cadence_days=91,
        )
        met = self.today - timedelta(days=x.randint(125, 160) if overdue else x.randint(20, 60))
        meeting = Interaction.objects.create(
            account=self.account,
            kind="meeting",
            date=met,
            subject=self.fill(x.choice(EXECUTIVE_TOPICS))[:200],
            notes=self.fill(
                "{leader} and our executive on {name}'s priorities for {metric}; "
                "agreed to meet again next quarter."
            ),
            is_executive=True,
        )
        meeting.contacts.set([leader])
        meeting.participants.set([self.executive])

    # step 8: objectives, strategies and actions ----------------------------------------------
    def _engaged(self) -> int:
        from keyplan.accounts.models import Contact

        since = self.today - timedelta(days=180)
        return (
            Contact.objects.filter(
                account_id__in=selectors.plan_account_ids(self.plan),
                is_active=True,
                interactions__date__gte=since,
            )
            .distinct()
            .count()
        )

    def _day(self, phase: int) -> date:
        start, end = self.plan.period_start, self.plan.period_end
        lo, hi = PHASES[phase]
        span = (end - start).days
        return start + timedelta(days=self.x.randint(lo, min(hi or span - 5, span - 5)))

    def _objectives(self):
        from keyplan.plans.choices import ObjectiveCategory, ProgressSource

        x, plan = self.x, self.plan
        ours = sorted(self.bought, key=lambda ln: (-self.bought[ln], ln))
        self.ctx |= {
            "main": " and ".join(ours[:2]) or "our core lines",
            "new": (self.whitespace[:1] or ["managed services"])[0],
            "introducer": self.profile["introducer"][0],
            "summit": self.fill(x.choice(SUMMITS)),
        }
        self.ctx["summit"] = self.ctx["summit"][:1].upper() + self.ctx["summit"][1:]
        known = sum(1 for _ in self.contacts)
        engaged = min(self._engaged(), known)
        bd_target = x.choice((2, 3))
        contacts_target = max(engaged + 1, min(known, engaged + x.randint(4, 6)))
        end = plan.period_end
        specs = {
            "revenue": dict(
                baseline=Decimal(0),
                target=self.goal,
                due_date=end,
                owner=self.rep,
                progress_source=ProgressSource.REVENUE,
                extra={"run_rate": money(self.run_rate), "goal": money(self.goal)},
            ),
            "business_development": dict(
                baseline=Decimal(0),
                target=Decimal(bd_target),
                due_date=end,
                owner=self.rep,
                progress_source=ProgressSource.WHITE_SPACE,
                extra={"n": bd_target},
            ),
            "cross_account": dict(
                baseline=Decimal(engaged),
                target=Decimal(contacts_target),
                due_date=end,
                owner=self.rep,
                progress_source=ProgressSource.CONTACTS_ENGAGED,
                extra={"n": contacts_target},
            ),
            "marketing": dict(
                baseline=Decimal(0),
                target=Decimal(3),
                due_date=self._day(3),
                owner=self.manager,
                progress_source=ProgressSource.MANUAL,
                manual_value=Decimal(1),
                extra={},
            ),
        }
        counts = {
            "revenue": x.choice((2, 3)),
            "business_development": 2,
            "cross_account": x.choice((1, 2)),
            "marketing": x.choice((1, 2)),
        }
        self.objectives, actions = {}, []
        for category in (
            ObjectiveCategory.REVENUE,
            ObjectiveCategory.BUSINESS_DEVELOPMENT,
            ObjectiveCategory.CROSS_ACCOUNT,
            ObjectiveCategory.MARKETING,
        ):
            spec = specs[str(category)]
            extra = spec.pop("extra")
            title, metric = OBJECTIVES[str(category)]
            objective = services.element_save(
                kind="objective",
                plan=plan,
                user=self.rep,
                category=category,
                title=self.fill(title, **extra)[:255],
                metric=metric,
                **spec,
            )
            self.objectives[str(category)] = objective
            templates = STRATEGIES[str(category)]
            chosen = x.sample(range(len(templates)), counts[str(category)])
            for index in sorted(chosen):
                how, resources, steps = templates[index]
                strategy = services.element_save(
                    kind="strategy",
                    plan=plan,
                    user=self.rep,
                    objective=objective,
                    description=self.fill(how),
                    resources=self.fill(resources),
                )
                for what, owner, hours, contact, phase in steps:
                    actions.append([strategy, what, owner, hours, contact, phase])
        self._schedule(actions)

    def _schedule(self, actions):
        """Effort and due dates: the rep's kick-off actions fill most of the first month
        (three plans starting together over-commit the rep a little), the rest spread
        over the year."""
        x = self.x
        owners = {"rep": self.rep, "manager": self.manager, "exec": self.executive or self.manager}
        kick_off = [a for a in actions if a[2] == "rep" and a[5] == 0]
        for a in [a for a in actions if a[2] == "rep" and a[5] == 1][: max(0, 3 - len(kick_off))]:
            a[5] = 0
            kick_off.append(a)
        total = x.randint(*KICK_OFF_HOURS)
        shares = [total // len(kick_off)] * len(kick_off) if kick_off else []
        for k in range(total - sum(shares)):
            shares[k % len(shares)] += 1
        for a, hours in zip(kick_off, shares, strict=True):
            a[3] = (hours, hours)
        for strategy, what, owner, hours, contact, phase in actions:
            person = self.who.get(contact)
            services.element_save(
                kind="action",
                plan=self.plan,
                user=self.rep,
                strategy=strategy,
                title=self.fill(what)[:255],
                owner=owners[owner],
                due_date=self._day(phase),
                effort_hours=Decimal(x.randint(*hours)),
                contacts=[person] if person is not None else [],
            )

    def _milestones_and_help(self):
        from keyplan.accounts.models import AccountTeamMember

        x, start = self.x, self.plan.period_start
        for title, days, category in (
            ("Proof of value signed off by {champion}", x.randint(100, 130), "revenue"),
            ("First {new} opportunity opened", x.randint(160, 210), "business_development"),
        ):
            services.element_save(
                kind="milestone",
                plan=self.plan,
                user=self.rep,
                title=self.fill(title)[:255],
                date=start + timedelta(days=days),
                objective=self.objectives[category],
            )
        services.element_save(
            kind="qualitative",
            plan=self.plan,
            user=self.rep,
            text=self.fill(x.choice(QUALITATIVE))[:255],
        )
        engineer = (
            AccountTeamMember.objects.filter(
                account=self.account, role="solution_engineer", user__is_active=True
            )
            .exclude(user=self.rep)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        helper = engineer.user if engineer is not None else self.manager
        asked = services.element_save(
            kind="help",
            plan=self.plan,
            user=self.rep,
            what=self.fill("Two days a week for eight weeks on the proof of value at {pilot}")[
                :255
            ],
            asked_of=helper,
            needed_by=start + timedelta(days=x.randint(10, 20)),
        )
        services.help_respond(
            request=asked,
            user=helper,
            commit=True,
            response=x.choice(
                (
                    "Booked: Tuesdays and Thursdays from the kick-off on.",
                    "Committed. I will bring the {industry} data model we built last year.",
                )
            ).format(**self.ctx),
        )
        services.element_save(
            kind="help",
            plan=self.plan,
            user=self.rep,
            what=self.fill(
                "Join the first meeting with {weak}: they want to hear it from a manager"
            )[:255],
            asked_of=self.manager,
            needed_by=start + timedelta(days=x.randint(30, 50)),
        )

    # after activation: the quarterly review ----------------------------------------------------
    def review(self):
        """The team reviews the plan: the first kick-off action is done, one more action
        added, and a version of the plan kept, which differs from the activation's."""
        from keyplan.plans.choices import ActionStatus
        from keyplan.plans.models import Action

        first = Action.objects.filter(plan=self.plan, owner=self.rep).order_by("due_date", "pk")[0]
        services.element_save(
            kind="action",
            plan=self.plan,
            user=self.rep,
            instance=first,
            status=ActionStatus.DONE,
        )
        strategy = first.strategy
        services.element_save(
            kind="action",
            plan=self.plan,
            user=self.rep,
            strategy=strategy,
            title=self.fill("Follow up {blocker}'s questions in writing")[:255],
            owner=self.manager,
            due_date=self._day(2),
            effort_hours=Decimal(self.x.randint(2, 4)),
            contacts=[self.who["blocker"]],
        )
        self.plan = services.plan_confirm(
            plan=self.plan,
            user=self.rep,
            review=True,
            note=self.fill("Quarterly review with the team: kick-off on track, {blocker} next"),
        )


# -- the entry points ----------------------------------------------------------------------------
def example_plans(*, seed: int, count: int = 3) -> list[AccountPlan]:
    """Write ``count`` complete, active example plans for the demo ``rep``'s biggest
    accounts (approvals by the demo ``manager``); none when those users do not exist.
    The last plan's pipeline is below the 2.5-3x band, the others are inside it."""
    from keyplan.people.models import User

    users = {u.username: u for u in User.objects.filter(username__in=(REP, MANAGER, EXECUTIVE))}
    if REP not in users or MANAGER not in users:
        return []
    writers = []
    accounts = biggest_accounts(users[REP], count)
    for i, account in enumerate(accounts):
        low = i == len(accounts) - 1 and len(accounts) > 1
        r = random.Random(f"keyplan-demo-plan:{seed}:{i}:{account.external_id or account.name}")
        writers.append(
            PlanWriter(
                account,
                rep=users[REP],
                manager=users[MANAGER],
                r=r,
                ratio=r.uniform(*(BELOW_BAND if low else IN_BAND)),
                proposal=i == 0,
                executive=users.get(EXECUTIVE),
                pairing_overdue=low,
            )
        )
    # Every plan's facts first: the territory's wallets are computed once, before the
    # opportunities the plans create change the sales roll-up's version.
    for writer in writers:
        writer.begin()
    plans = [writer.finish() for writer in writers]
    # Living plans: the first confirmed current by the rep, the second reviewed with the
    # team after some changes (its review version differs from its activation version).
    if plans:
        plans[0] = services.plan_confirm(plan=plans[0], user=users[REP])
        # The mutual plan: the first plan is shared with the customer (keyplan.mutual).
        from keyplan.mutual.demo import demo_share

        demo_share(plans[0], users[REP])
    if len(writers) > 1:
        writers[1].review()
        plans[1] = writers[1].plan
    if writers:
        # Working together: comments with mentions, a commitment, a new-offering request.
        from keyplan.plans.demo_together import working_together

        working_together(writers[0], rep=users[REP], manager=users[MANAGER])
        # The executive program's meeting requests: one open, one accepted with a date.
        from keyplan.plans.demo_together import executive_meetings

        executive_meetings(writers, manager=users[MANAGER])
    return plans


def plans_flush() -> int:
    """Delete every account plan (with its goals, ideas, investment cases, activity and the
    notifications pointing at it), before the territory they plan is flushed."""
    from keyplan.plans.models import Notification

    ids = list(AccountPlan.objects.values_list("pk", flat=True))
    if not ids:
        return 0
    about = Q()
    for pk in ids:
        about |= Q(url__startswith=reverse("plan_detail", args=[pk]))
    # Executive meeting requests are linked by their own page, not the plan's.
    from keyplan.plans.models import ExecutiveMeetingRequest

    for pk in ExecutiveMeetingRequest.objects.filter(plan_id__in=ids).values_list("pk", flat=True):
        about |= Q(url__startswith=reverse("meeting_detail", args=[pk]))
    Notification.objects.filter(about).delete()
    AccountPlan.objects.filter(pk__in=ids).delete()
    return len(ids)
