/**
 * The compositional chest radiograph corpus (cxr14): each report draws a status per CheXpert
 * label, then writes them through a layout (sectioned prose, terse lines, numbered lists, one
 * unsectioned paragraph, an ICU template), a language, and sentence patterns that carry the
 * status: negation lists ("no effusion or pneumothorax"), hedges ("cannot exclude", "may
 * represent", "X versus Y"), change words ("unchanged", "resolved", "interval improvement"),
 * several findings per sentence, a hedge on the cause of a definite finding ("opacity, likely
 * atelectasis": the opacity stays positive), questions in the indication (which set nothing),
 * de-identification placeholders and typos. Gold follows the samples' conventions: a label is set
 * only by an explicit mention; No Finding is positive when no pathology is positive or uncertain.
 */
import { rng } from '../../core/random.ts'
import type { TaskRecord } from '../../schemas/record.ts'
import { type FamilyOptions, pickFamilies } from './families.ts'
import { P, type R } from './printer.ts'

export const cxrLayouts = ['sectioned', 'terse', 'numbered', 'unsectioned', 'icu', 'plain'] as const
export type CxrLayout = (typeof cxrLayouts)[number]
export const cxrLayoutFamily: Record<CxrLayout, string> = {
  sectioned: 'prose',
  terse: 'terse',
  numbered: 'lists',
  unsectioned: 'unsectioned',
  icu: 'terse',
  plain: 'plain',
}
export const cxrLanguages = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt'] as const
export type CxrLanguage = (typeof cxrLanguages)[number]

type Status = 'positive' | 'negative' | 'uncertain'

/** The labels a report can state, No Finding aside (it follows from the others). */
export const cxrLabels = [
  'Enlarged Cardiomediastinum',
  'Cardiomegaly',
  'Lung Opacity',
  'Lung Lesion',
  'Edema',
  'Consolidation',
  'Pneumonia',
  'Atelectasis',
  'Pneumothorax',
  'Pleural Effusion',
  'Pleural Other',
  'Fracture',
  'Support Devices',
] as const
type Label = (typeof cxrLabels)[number]
const pathology = cxrLabels.filter((l) => l !== 'Support Devices')

/** How a finding is named: noun phrases, and whole sentences for the organ-state wording
 * ("the heart size is normal" negates cardiomegaly; "the heart is enlarged" states it). */
interface Words {
  nouns: string[]
  present?: string[]
  absent?: string[]
  /** Whole sentences that leave it open ("the heart size is borderline"). */
  unsure?: string[]
}

const sides = ['right', 'left', 'bilateral']
const zones = [
  'right lower lobe',
  'left lower lobe',
  'right upper lobe',
  'lingula',
  'right middle lobe',
  'left base',
  'right base',
  'bibasilar',
  'left upper lobe',
  'retrocardiac',
  'perihilar',
]

const en: Record<Label, Words> = {
  'Enlarged Cardiomediastinum': {
    nouns: ['widened mediastinum', 'mediastinal widening', 'enlarged cardiomediastinal silhouette'],
    present: [
      'The mediastinum is widened.',
      'The cardiomediastinal silhouette is enlarged.',
      'Widening of the superior mediastinum.',
      'The mediastinal contour is prominent and widened.',
    ],
    absent: [
      'The cardiomediastinal silhouette is normal.',
      'Mediastinal contours are within normal limits.',
      'The mediastinum is not widened.',
      'Normal cardiomediastinal contours.',
      'The mediastinal silhouette is unremarkable.',
    ],
  },
  Cardiomegaly: {
    nouns: ['cardiomegaly', 'cardiac enlargement', 'enlarged cardiac silhouette', 'enlarged heart'],
    present: [
      'The heart is enlarged.',
      'The heart size is enlarged.',
      'The cardiac silhouette is moderately enlarged.',
      'Heart size is mildly increased.',
      'The heart is mildly enlarged.',
      'Heart size is mildly enlarged.',
      'Mild cardiomegaly.',
      'Stable mild cardiomegaly.',
      'Cardiomegaly is again noted.',
      'The heart size is enlarged but stable.',
      'Moderate enlargement of the cardiac silhouette.',
    ],
    absent: [
      'The heart size is normal.',
      'Heart size is within normal limits.',
      'The cardiac silhouette is not enlarged.',
      'Normal heart size.',
      'The heart is of normal size.',
      'Cardiac silhouette is normal in size.',
      // CheXpert reads the upper limit of normal as normal
      'Heart size is upper limits of normal.',
      'Upper limits normal heart size.',
      'Heart size at the upper limits of normal.',
      'The heart is top normal in size.',
    ],
    unsure: [
      'The heart size is borderline.',
      'The heart size is at the upper limit of normal; mild cardiomegaly cannot be excluded.',
      'Borderline cardiomegaly.',
      'Heart size is difficult to assess on this AP view, possibly enlarged.',
    ],
  },
  'Lung Opacity': {
    nouns: [
      'opacity',
      'airspace opacity',
      'opacities',
      'opacification',
      'airspace disease',
      'infiltrate',
      'hazy opacity',
      'patchy opacities',
      'haziness',
      'ground-glass opacity',
      'airspace process',
      'shadowing',
    ],
  },
  'Lung Lesion': {
    nouns: [
      'nodule',
      'pulmonary nodule',
      'mass',
      'lung mass',
      'spiculated mass',
      'lesion',
      'cavitary lesion',
      'pulmonary mass',
      'calcified nodule',
      'nodular opacity',
    ],
    present: [
      'A 1 cm nodule projects over the left mid lung.',
      'Small calcified nodule in the left lower lobe, unchanged.',
    ],
  },
  Edema: {
    nouns: [
      'pulmonary edema',
      'interstitial edema',
      'edema',
      'vascular congestion',
      'pulmonary vascular congestion',
      'interstitial oedema',
      'alveolar edema',
      'fluid overload',
      'Kerley B lines',
      'CHF',
      'cephalization',
    ],
  },
  Consolidation: {
    nouns: ['consolidation', 'airspace consolidation', 'lobar consolidation'],
  },
  Pneumonia: {
    nouns: [
      'pneumonia',
      'infection',
      'infectious process',
      'bronchopneumonia',
      'aspiration pneumonia',
    ],
  },
  Atelectasis: {
    nouns: [
      'atelectasis',
      'subsegmental atelectasis',
      'plate-like atelectasis',
      'linear atelectasis',
      'volume loss',
      'collapse',
      'atelectatic change',
      'discoid atelectasis',
    ],
  },
  Pneumothorax: {
    nouns: ['pneumothorax', 'apical pneumothorax', 'PTX', 'pneumothoraces', 'small pneumothorax'],
  },
  'Pleural Effusion': {
    present: [
      'Blunting of the left costophrenic angle.',
      'The costophrenic angles are blunted.',
      'Small bilateral pleural effusions.',
      'Layering right pleural effusion.',
    ],
    absent: ['The costophrenic angles are sharp.', 'No pleural effusion is seen.'],
    nouns: [
      'pleural effusion',
      'effusion',
      'pleural effusions',
      'pleural fluid',
      'layering effusion',
      'blunting of the costophrenic angle',
      'costophrenic angle blunting',
    ],
  },
  'Pleural Other': {
    nouns: [
      'pleural thickening',
      'calcified pleural plaques',
      'pleural plaque',
      'apical pleural thickening',
      'biapical pleural thickening',
      'fibrothorax',
    ],
    present: ['Biapical pleural thickening.', 'Stable calcified pleural plaques.'],
  },
  Fracture: {
    nouns: [
      'fracture',
      'rib fracture',
      'rib fractures',
      'clavicle fracture',
      'healed rib fracture',
      'displaced fracture',
      'compression fracture',
      'old rib fractures',
    ],
    present: [
      'Old healed right rib fractures.',
      'Healed left clavicle fracture.',
      'Remote posterior left rib fractures.',
      'Chronic compression deformity of a midthoracic vertebral body.',
      'Nondisplaced fracture of the right sixth rib.',
    ],
  },
  'Support Devices': {
    nouns: [
      'endotracheal tube',
      'ET tube',
      'nasogastric tube',
      'enteric tube',
      'right internal jugular central venous catheter',
      'PICC line',
      'left chest tube',
      'dual-chamber pacemaker',
      'pacemaker leads',
      'AICD',
      'Swan-Ganz catheter',
      'tracheostomy tube',
      'central line',
      'ETT',
      'NGT',
      'Port-A-Cath',
      'left chest wall port',
      'ICD',
      'loop recorder',
      'Dobhoff tube',
    ],
    present: [
      'Endotracheal tube terminates 4 cm above the carina.',
      'Nasogastric tube courses below the diaphragm.',
      'Right IJ central venous catheter with tip in the SVC.',
      'Left-sided pacemaker with leads in the right atrium and right ventricle.',
      'PICC line tip at the cavoatrial junction.',
      'A right chest tube is in place.',
      'Right chest XXXX with tip at the cavoatrial junction.',
      'Left chest XXXX with leads in the right atrium and right ventricle.',
      'Left subclavian port with tip in the SVC.',
      'Stable position of the left-sided defibrillator.',
      'Right IJ XXXX terminates in the SVC.',
      'Interval placement of a feeding tube, tip in the stomach.',
      'Stable right IJ XXXX.',
      'Left subclavian XXXX in stable position.',
      'Right-sided XXXX with tip projecting over the right atrium.',
      'Left chest XXXX generator with two leads, unchanged.',
      'XXXX tube tip 3 cm above the carina.',
    ],
  },
}

/** Other languages: a short name per finding and status templates ({N} the finding). */
interface Lang {
  nouns: Partial<Record<Label, string[]>>
  pos: string[]
  neg: string[]
  negList: string[]
  unc: string[]
  /** "or" in a negated list */
  or: string
  heads: { indication: string[]; comparison: string[]; findings: string[]; impression: string[] }
  normal: string[]
  clear: string[]
  question: string[]
  none: string[]
  exam: string[]
}

export const other: Record<Exclude<CxrLanguage, 'en'>, Lang> = {
  de: {
    nouns: {
      'Enlarged Cardiomediastinum': ['Mediastinalverbreiterung', 'verbreitertes Mediastinum'],
      Cardiomegaly: ['Kardiomegalie', 'Herzvergrößerung', 'vergrößertes Herz'],
      'Lung Opacity': ['Verschattung', 'Transparenzminderung', 'Infiltrat', 'Eintrübung'],
      'Lung Lesion': ['Rundherd', 'Raumforderung', 'pulmonaler Knoten'],
      Edema: ['Lungenödem', 'interstitielles Ödem', 'pulmonalvenöse Stauung'],
      Consolidation: ['Konsolidierung', 'Konsolidation'],
      Pneumonia: ['Pneumonie', 'pneumonisches Infiltrat'],
      Atelectasis: ['Atelektase', 'Dystelektase', 'Plattenatelektase'],
      Pneumothorax: ['Pneumothorax'],
      'Pleural Effusion': ['Pleuraerguss', 'Erguss', 'Pleuraergüsse'],
      'Pleural Other': ['Pleuraverdickung', 'Pleuraplaques'],
      Fracture: ['Fraktur', 'Rippenfraktur'],
      'Support Devices': [
        'ZVK',
        'Trachealtubus',
        'Magensonde',
        'Herzschrittmacher',
        'Thoraxdrainage',
      ],
    },
    pos: ['{N}.', '{N} rechts.', 'Nachweis von {N}.', '{N} links basal.', 'Neu aufgetretene {N}.'],
    neg: ['Kein Nachweis von {N}.', 'Kein Hinweis auf {N}.', '{N} nicht nachweisbar.', 'Ohne {N}.'],
    negList: ['Kein Nachweis von {L}.', 'Kein Hinweis auf {L}.'],
    or: 'oder',
    unc: [
      'Verdacht auf {N}.',
      '{N} nicht sicher auszuschließen.',
      'Möglicherweise {N}.',
      'Fraglich {N}.',
      'DD {N}.',
    ],
    heads: {
      indication: ['Fragestellung', 'Indikation', 'Klinische Angaben'],
      comparison: ['Voraufnahme', 'Vergleich'],
      findings: ['Befund'],
      impression: ['Beurteilung'],
    },
    normal: ['Kein akuter kardiopulmonaler Befund.', 'Altersentsprechender Befund.'],
    clear: ['Lunge beidseits belüftet.', 'Keine Auffälligkeiten der Lunge.'],
    question: ['{N}?', 'Ausschluss {N}.', 'V.a. {N}?'],
    none: ['Keine.', 'Keine Voraufnahmen.'],
    exam: ['Röntgen Thorax p.a. und seitlich', 'Röntgen Thorax liegend'],
  },
  fr: {
    nouns: {
      'Enlarged Cardiomediastinum': ['élargissement médiastinal', 'médiastin élargi'],
      Cardiomegaly: ['cardiomégalie', 'silhouette cardiaque élargie'],
      'Lung Opacity': ['opacité', 'opacités', 'infiltrat'],
      'Lung Lesion': ['nodule', 'masse pulmonaire', 'lésion nodulaire'],
      Edema: ['œdème pulmonaire', 'oedème interstitiel', 'surcharge vasculaire'],
      Consolidation: ['condensation', 'condensation alvéolaire'],
      Pneumonia: ['pneumopathie', 'pneumonie'],
      Atelectasis: ['atélectasie', 'troubles ventilatoires'],
      Pneumothorax: ['pneumothorax'],
      'Pleural Effusion': ['épanchement pleural', 'épanchement'],
      'Pleural Other': ['épaississement pleural', 'plaques pleurales'],
      Fracture: ['fracture', 'fracture costale'],
      'Support Devices': [
        'sonde d’intubation',
        'sonde nasogastrique',
        'cathéter central',
        'pacemaker',
        'drain thoracique',
      ],
    },
    pos: ['{N}.', 'Présence de {N}.', '{N} droite.', 'On note {N}.'],
    neg: ['Pas de {N}.', 'Absence de {N}.', "Pas d'argument pour {N}.", 'Sans {N}.'],
    negList: ['Pas de {L}.', 'Absence de {L}.'],
    or: 'ou',
    unc: [
      'Possible {N}.',
      '{N} non exclue.',
      'Suspicion de {N}.',
      'Probable {N}.',
      'Aspect évocateur de {N}.',
    ],
    heads: {
      indication: ['Indication', 'Renseignements cliniques'],
      comparison: ['Comparaison'],
      findings: ['Résultats', 'Description'],
      impression: ['Conclusion'],
    },
    normal: ['Pas d’anomalie cardio-pulmonaire aiguë.', 'Radiographie thoracique normale.'],
    clear: ['Poumons bien aérés.', 'Parenchyme pulmonaire sans particularité.'],
    question: ['{N} ?', 'Recherche de {N}.'],
    none: ['Aucune.', 'Pas de cliché antérieur.'],
    exam: ['Radiographie thoracique de face', 'Radiographie du thorax face et profil'],
  },
  es: {
    nouns: {
      'Enlarged Cardiomediastinum': ['ensanchamiento mediastínico', 'mediastino ensanchado'],
      Cardiomegaly: ['cardiomegalia', 'silueta cardiaca aumentada'],
      'Lung Opacity': ['opacidad', 'opacidades', 'infiltrado'],
      'Lung Lesion': ['nódulo pulmonar', 'masa pulmonar', 'lesión nodular'],
      Edema: ['edema pulmonar', 'edema intersticial', 'congestión vascular'],
      Consolidation: ['consolidación', 'consolidación alveolar'],
      Pneumonia: ['neumonía', 'proceso neumónico'],
      Atelectasis: ['atelectasia', 'atelectasias laminares'],
      Pneumothorax: ['neumotórax'],
      'Pleural Effusion': ['derrame pleural', 'derrame'],
      'Pleural Other': ['engrosamiento pleural', 'placas pleurales'],
      Fracture: ['fractura', 'fractura costal'],
      'Support Devices': [
        'tubo endotraqueal',
        'sonda nasogástrica',
        'catéter venoso central',
        'marcapasos',
        'tubo de tórax',
      ],
    },
    pos: ['{N}.', 'Se observa {N}.', 'Se identifica {N}.', '{N} derecho.'],
    neg: ['No se observa {N}.', 'Sin {N}.', 'Ausencia de {N}.', 'No hay {N}.'],
    negList: ['No se observa {L}.', 'Sin {L}.'],
    or: 'o',
    unc: [
      'Posible {N}.',
      'No se descarta {N}.',
      'Sugestivo de {N}.',
      'Probable {N}.',
      'Dudosa {N}.',
    ],
    heads: {
      indication: ['Indicación', 'Motivo'],
      comparison: ['Comparación'],
      findings: ['Hallazgos'],
      impression: ['Impresión', 'Conclusión'],
    },
    normal: ['Sin alteraciones cardiopulmonares agudas.', 'Radiografía de tórax normal.'],
    clear: ['Pulmones bien ventilados.', 'Parénquima pulmonar sin alteraciones.'],
    question: ['¿{N}?', 'Descartar {N}.'],
    none: ['Ninguna.', 'Sin estudios previos.'],
    exam: ['Radiografía de tórax PA y lateral', 'Radiografía de tórax portátil'],
  },
  it: {
    nouns: {
      'Enlarged Cardiomediastinum': ['slargamento mediastinico', 'mediastino slargato'],
      Cardiomegaly: ['cardiomegalia', 'ombra cardiaca ingrandita'],
      'Lung Opacity': ['opacità', 'opacamento', 'infiltrato'],
      'Lung Lesion': ['nodulo polmonare', 'massa polmonare', 'lesione nodulare'],
      Edema: ['edema polmonare', 'edema interstiziale', 'congestione vascolare'],
      Consolidation: ['consolidamento', 'addensamento parenchimale'],
      Pneumonia: ['polmonite', 'focolaio broncopneumonico'],
      Atelectasis: ['atelettasia', 'atelettasie lamellari'],
      Pneumothorax: ['pneumotorace', 'PNX'],
      'Pleural Effusion': ['versamento pleurico', 'versamento'],
      'Pleural Other': ['ispessimento pleurico', 'placche pleuriche'],
      Fracture: ['frattura', 'frattura costale'],
      'Support Devices': [
        'tubo endotracheale',
        'sondino nasogastrico',
        'catetere venoso centrale',
        'pacemaker',
        'drenaggio toracico',
      ],
    },
    pos: ['{N}.', 'Si osserva {N}.', 'Presenza di {N}.', '{N} a destra.'],
    neg: ['Non {N}.', 'Non si osserva {N}.', 'Assenza di {N}.', 'Senza {N}.', 'Non segni di {N}.'],
    negList: ['Non {L}.', 'Non si osservano {L}.'],
    or: 'o',
    unc: [
      'Possibile {N}.',
      'Non si esclude {N}.',
      'Sospetto di {N}.',
      'Probabile {N}.',
      'Dubbia {N}.',
    ],
    heads: {
      indication: ['Quesito clinico', 'Indicazione'],
      comparison: ['Confronto', 'Precedenti'],
      findings: ['Reperto'],
      impression: ['Conclusione', 'Conclusioni'],
    },
    normal: ['Non alterazioni cardiopolmonari acute.', 'Radiografia del torace nei limiti.'],
    clear: ['Polmoni ben espansi.', 'Parenchima polmonare nei limiti.'],
    question: ['{N}?', 'Escludere {N}.'],
    none: ['Nessuno.', 'Nessun esame precedente.'],
    exam: ['RX torace in due proiezioni', 'RX torace a letto'],
  },
  nl: {
    nouns: {
      'Enlarged Cardiomediastinum': ['verbreed mediastinum', 'mediastinale verbreding'],
      Cardiomegaly: ['cardiomegalie', 'vergroot hart'],
      'Lung Opacity': ['verdichting', 'infiltraat', 'sluiering'],
      'Lung Lesion': ['longnodus', 'longhaard', 'ruimte-innemend proces'],
      Edema: ['longoedeem', 'interstitieel oedeem', 'vaatstuwing'],
      Consolidation: ['consolidatie'],
      Pneumonia: ['pneumonie', 'longontsteking'],
      Atelectasis: ['atelectase', 'dystelectase'],
      Pneumothorax: ['pneumothorax', 'klaplong'],
      'Pleural Effusion': ['pleuravocht', 'pleura-effusie'],
      'Pleural Other': ['pleuraverdikking', 'pleurale plaques'],
      Fracture: ['fractuur', 'ribfractuur'],
      'Support Devices': [
        'endotracheale tube',
        'maagsonde',
        'centraal veneuze lijn',
        'pacemaker',
        'thoraxdrain',
      ],
    },
    pos: ['{N}.', 'Er is {N}.', 'Beeld van {N}.', '{N} rechts.'],
    neg: ['Geen {N}.', 'Geen aanwijzingen voor {N}.', 'Er is geen {N}.', 'Zonder {N}.'],
    negList: ['Geen {L}.', 'Geen aanwijzingen voor {L}.'],
    or: 'of',
    unc: [
      'Mogelijk {N}.',
      '{N} niet uit te sluiten.',
      'Verdenking op {N}.',
      'Waarschijnlijk {N}.',
      'Differentiaal diagnostisch {N}.',
    ],
    heads: {
      indication: ['Vraagstelling', 'Indicatie'],
      comparison: ['Vergelijking', 'Vooronderzoek'],
      findings: ['Bevindingen', 'Verslag'],
      impression: ['Conclusie'],
    },
    normal: ['Geen acute cardiopulmonale afwijkingen.', 'Normale thoraxfoto.'],
    clear: ['Beide longen goed ontplooid.', 'Normaal longparenchym.'],
    question: ['{N}?', 'Uitsluiten {N}.'],
    none: ['Geen.', 'Geen vooronderzoek.'],
    exam: ['X-thorax PA en lateraal', 'X-thorax liggend'],
  },
  pt: {
    nouns: {
      'Enlarged Cardiomediastinum': ['alargamento do mediastino', 'mediastino alargado'],
      Cardiomegaly: ['cardiomegalia', 'área cardíaca aumentada'],
      'Lung Opacity': ['opacidade', 'opacidades', 'infiltrado'],
      'Lung Lesion': ['nódulo pulmonar', 'massa pulmonar', 'lesão nodular'],
      Edema: ['edema pulmonar', 'edema intersticial', 'congestão vascular'],
      Consolidation: ['consolidação', 'condensação'],
      Pneumonia: ['pneumonia', 'processo pneumônico'],
      Atelectasis: ['atelectasia', 'atelectasias laminares'],
      Pneumothorax: ['pneumotórax'],
      'Pleural Effusion': ['derrame pleural', 'derrame'],
      'Pleural Other': ['espessamento pleural', 'placas pleurais'],
      Fracture: ['fratura', 'fratura de arco costal'],
      'Support Devices': [
        'tubo endotraqueal',
        'sonda nasogástrica',
        'cateter venoso central',
        'marca-passo',
        'dreno torácico',
      ],
    },
    pos: ['{N}.', 'Observa-se {N}.', 'Presença de {N}.', 'Nota-se {N}.'],
    neg: ['Sem {N}.', 'Não se observa {N}.', 'Ausência de {N}.', 'Não há {N}.'],
    negList: ['Sem {L}.', 'Não se observa {L}.'],
    or: 'ou',
    unc: [
      'Possível {N}.',
      'Não se pode excluir {N}.',
      'Sugestivo de {N}.',
      'Provável {N}.',
      'A considerar {N}.',
    ],
    heads: {
      indication: ['Indicação clínica', 'Indicação'],
      comparison: ['Comparação'],
      findings: ['Achados', 'Relatório'],
      impression: ['Impressão', 'Conclusão'],
    },
    normal: ['Sem alterações cardiopulmonares agudas.', 'Radiografia de tórax normal.'],
    clear: ['Pulmões bem expandidos.', 'Parênquima pulmonar sem alterações.'],
    question: ['{N}?', 'Excluir {N}.'],
    none: ['Nenhum.', 'Sem exames anteriores.'],
    exam: ['Radiografia de tórax PA e perfil', 'Radiografia de tórax no leito'],
  },
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** A sentence saying these findings (all of one status), in English. */
function enSentence(r: R, ls: Label[], status: Status, nounOf: (l: Label) => string): string {
  const ns = ls.map(nounOf)
  const list = (xs: string[], conj = P(r, ['or', 'or', 'and'])): string =>
    xs.length === 1 ? (xs[0] as string) : `${xs.slice(0, -1).join(', ')} ${conj} ${xs.at(-1)}`
  if (status === 'negative') {
    if (ls.length === 1) {
      const w = en[ls[0] as Label]
      if (w.absent && r() < 0.5) return P(r, w.absent)
      const n = ns[0] as string
      return P(r, [
        `No ${n}.`,
        `There is no ${n}.`,
        `No evidence of ${n}.`,
        `${cap(n)} is not seen.`,
        `No ${n} is identified.`,
        `Negative for ${n}.`,
        `${cap(n)}: none.`,
        `No residual ${n}.`,
        `The previously seen ${n} has resolved.`,
        `Resolution of the prior ${n}.`,
        `${cap(n)} is no longer seen.`,
        `No definite ${n}.`,
        `Free of ${n}.`,
        `Interval resolution of ${n}.`,
        `${cap(n)} has cleared.`,
        `Previously described ${n} is no longer visualized.`,
        `No XXXX of ${n}.`,
      ])
    }
    return P(r, [
      `No ${list(ns)}.`,
      `There is no ${list(ns)}.`,
      `No evidence of ${list(ns)}.`,
      `No ${list(ns)} is seen.`,
      `Without ${list(ns)}.`,
      `${cap(list(ns, 'or'))} are not seen.`,
    ])
  }
  if (status === 'uncertain') {
    const unsure = ls.length === 1 ? en[ls[0] as Label].unsure : undefined
    if (unsure && r() < 0.4) return P(r, unsure)
    if (ls.length === 2 && r() < 0.5) return `${cap(ns[0] as string)} versus ${ns[1]}.`
    const n = list(ns, 'or')
    return P(r, [
      `Possible ${n}.`,
      `${cap(n)} cannot be excluded.`,
      `Cannot exclude ${n}.`,
      `Findings may represent ${n}.`,
      `This could reflect ${n}.`,
      `Questionable ${n}.`,
      `Findings concerning for ${n}.`,
      `Suspicious for ${n}.`,
      `Probable ${n}.`,
      `Likely ${n}.`,
      `${cap(n)} is not excluded.`,
      `Suggestive of ${n}.`,
      `Equivocal ${n}.`,
      `Differential includes ${n}.`,
      `Early ${n} is possible.`,
      `Possibly ${n}.`,
      `Consider ${n}.`,
      `Suspected ${n}.`,
      `May represent ${n}.`,
      `Possible early ${n}.`,
      `${cap(n)} not entirely excluded.`,
      `Cannot rule out ${n}.`,
      `Question of ${n}.`,
      `Likely ${n}, correlate clinically.`,
      `Findings could be due to ${n}.`,
      `Subtle ${n} is not excluded.`,
      `Suggestion of ${n}.`,
      `${cap(n)} is favored.`,
    ])
  }
  if (ls.length === 1) {
    const w = en[ls[0] as Label]
    if (w.present && r() < 0.45) return P(r, w.present)
  }
  const n = list(ns, 'and')
  const side = P(r, sides)
  const zone = P(r, zones)
  return P(r, [
    `${cap(n)}.`,
    `There is ${n}.`,
    `${cap(n)} in the ${zone}.`,
    `${cap(side)} ${n}.`,
    `${cap(n)} is present.`,
    `${cap(n)} is again seen.`,
    `Unchanged ${n}.`,
    `Persistent ${n}.`,
    `New ${n} in the ${zone}.`,
    `Interval increase in ${n}.`,
    `Interval improvement of ${n}, which persists.`,
    `Small ${n}.`,
    `Moderate ${n}.`,
    `Redemonstrated ${n}.`,
    `${cap(n)} noted.`,
    `Stable ${n}.`,
    `Findings consistent with ${n}.`,
    `Interval development of ${n}.`,
    `Previously seen ${n} is again noted.`,
    `Decreased ${n}.`,
    `Improving ${n}.`,
    `${cap(n)}, unchanged from XXXX.`,
  ])
}

function langSentence(lg: Lang, r: R, ls: Label[], status: Status, nounOf: (l: Label) => string) {
  const ns = ls.map(nounOf)
  const fill = (t: string, n: string) => cap(t.replace('{N}', n).replace('{L}', n))
  if (status === 'negative' && ls.length > 1)
    return fill(P(r, lg.negList), `${ns.slice(0, -1).join(', ')} ${lg.or} ${ns.at(-1)}`)
  const t = P(r, status === 'positive' ? lg.pos : status === 'negative' ? lg.neg : lg.unc)
  return ls.map((_, i) => fill(t, ns[i] as string)).join(' ')
}

/** A word with a typo: one letter dropped, doubled or two swapped. */
function typo(r: R, w: string): string {
  const i = 1 + Math.floor(r() * (w.length - 2))
  const k = r()
  if (k < 0.33) return w.slice(0, i) + w.slice(i + 1)
  if (k < 0.66) return w.slice(0, i) + w[i] + w.slice(i)
  return w.slice(0, i) + (w[i + 1] ?? '') + w[i] + w.slice(i + 2)
}

function withTypos(r: R, text: string, rate: number): string {
  if (rate <= 0) return text
  return text.replace(/\p{L}{5,}/gu, (w) => (r() < rate ? typo(r, w) : w))
}

export interface CxrReport {
  id: string
  layout: CxrLayout
  language: CxrLanguage
  families: string[]
  text: string
  gold: TaskRecord
}

/** Draws the statuses of one report: normal studies, a few findings, ICU studies with devices. */
function drawStatuses(r: R, layout: CxrLayout): Map<Label, Status> {
  const s = new Map<Label, Status>()
  const kind = r()
  const normal = kind < 0.28
  const busy = layout === 'icu' || kind > 0.8
  for (const l of cxrLabels) {
    const x = r()
    // outpatient films (the plain layout) carry old, chronic findings: calcified nodules, healed
    // fractures, pacemakers
    const chronic = layout === 'plain' && ['Lung Lesion', 'Fracture', 'Support Devices'].includes(l)
    if (chronic && x < 0.12) {
      s.set(l, 'positive')
      continue
    }
    if (l === 'Support Devices') {
      const p = layout === 'icu' ? 0.9 : busy ? 0.45 : 0.12
      if (x < p) s.set(l, r() < 0.9 ? 'positive' : 'negative')
      continue
    }
    const common = [
      'Pneumothorax',
      'Pleural Effusion',
      'Cardiomegaly',
      'Lung Opacity',
      'Consolidation',
      'Edema',
    ].includes(l)
    const neg = common ? 0.5 : 0.18
    if (normal) {
      if (x < neg) s.set(l, 'negative')
      continue
    }
    const pos = busy ? 0.22 : 0.1
    const unc = busy ? 0.1 : 0.07
    if (x < pos) s.set(l, 'positive')
    else if (x < pos + unc) s.set(l, 'uncertain')
    else if (x < pos + unc + neg) s.set(l, 'negative')
  }
  return s
}

/** One report of the corpus. */
export function composeCxr(
  seed: number,
  index: number,
  opts: { layouts: readonly CxrLayout[]; langs: readonly CxrLanguage[]; typos?: boolean },
): CxrReport {
  const r = rng((seed * 1_000_003 + index * 7919) >>> 0)
  const layout = P(r, opts.layouts)
  const lang = P(r, opts.langs)
  const lg = lang === 'en' ? undefined : other[lang]
  const status = drawStatuses(r, layout)
  // the noun each label is called by in this report
  const nounCache = new Map<Label, string>()
  const nounOf = (l: Label) => {
    let n = nounCache.get(l)
    if (!n) {
      n = P(r, lg ? (lg.nouns[l] ?? en[l].nouns) : en[l].nouns)
      nounCache.set(l, n)
    }
    return n
  }
  const d: Draft = {
    r,
    lg,
    status,
    nounOf,
    sentence: (ls, st) =>
      lg ? langSentence(lg, r, ls, st, nounOf) : enSentence(r, ls, st, nounOf),
  }
  const findings: string[] = []
  const impression: string[] = []
  const said = new Set<Label>()
  const labels = [...status.keys()].sort(() => r() - 0.5)
  hedgedOpacity(d, findings, said)
  writeFindings(d, labels, said, findings, impression)
  const neutral = neutralSentences(r, lg)
  const anyFinding = pathology.some((l) => {
    const s = status.get(l)
    return s === 'positive' || s === 'uncertain'
  })
  const nothingAcute = !acute.some((l) => {
    const s = status.get(l)
    return s === 'positive' || s === 'uncertain'
  })
  closeImpression(r, lg, neutral, anyFinding, nothingAcute, findings, impression)
  const fr = frame(d)
  const f = findings.length ? findings : [lg ? P(r, lg.clear) : 'The lungs are clear.']
  const parts: Parts = { ...fr, f, impression }
  const body =
    layout === 'plain'
      ? plainBody(r, parts)
      : layout === 'unsectioned'
        ? unsectionedBody(r, parts)
        : layout === 'numbered'
          ? numberedBody(parts)
          : layout === 'terse' || layout === 'icu'
            ? terseBody(lg, parts)
            : sectionedBody(r, parts)
  // de-identification writes its placeholder in many forms; one per report
  const mark = P(r, ['XXXX', 'XXXX', '[REDACTED]', '***', '<NAME>', '[**Name**]', '___'])
  const text = withTypos(
    r,
    body.trim().replaceAll('XXXX', mark),
    opts.typos === false ? 0 : r() < 0.3 ? 0.03 : 0,
  )
  const outside = findings.some((x) => otherFindings.includes(x))
  const gold: TaskRecord = { 'No Finding': anyFinding || outside ? null : 'positive' }
  for (const l of cxrLabels) gold[l] = status.get(l) ?? null
  return {
    id: `cxr-${seed}-${String(index).padStart(5, '0')}`,
    layout,
    language: lang,
    families: [cxrLayoutFamily[layout], `lang:${lang}`],
    text,
    gold,
  }
}

/** One report being written: its draws, language, statuses and the nouns it calls labels by. */
interface Draft {
  r: R
  lg: Lang | undefined
  status: Map<Label, Status>
  nounOf: (l: Label) => string
  sentence: (ls: Label[], st: Status) => string
}

function hedgedOpacity(d: Draft, findings: string[], said: Set<Label>): void {
  const { r, lg, status, nounOf } = d
  // a definite opacity with a hedge on its cause: "Right basilar opacity, likely atelectasis."
  if (!lg && status.get('Lung Opacity') === 'positive' && r() < 0.15) {
    // a cause outside the 14 labels: only the opacity is set
    findings.push(
      `${cap(P(r, zones))} ${nounOf('Lung Opacity')}, ${P(r, ['likely', 'probably', 'possibly', 'in keeping with', 'consistent with'])} ${P(r, ['contusion', 'scarring', 'aspiration', 'haemorrhage', 'fibrosis', 'a nipple shadow'])}.`,
    )
    said.add('Lung Opacity')
  } else if (!lg && status.get('Lung Opacity') === 'positive' && r() < 0.5) {
    const cause = P(r, ['Atelectasis', 'Pneumonia', 'Edema', 'Consolidation'] as Label[])
    if (status.get(cause) === 'uncertain' || (!status.has(cause) && r() < 0.6)) {
      status.set(cause, 'uncertain')
      const hedge = P(r, [
        'likely',
        'possibly',
        'which may represent',
        'could reflect',
        'suspicious for',
        'atelectasis versus',
      ])
      const causeN =
        hedge === 'atelectasis versus'
          ? `${nounOf('Atelectasis')} versus ${nounOf(cause)}`
          : `${hedge} ${nounOf(cause)}`
      if (hedge === 'atelectasis versus')
        status.set(
          'Atelectasis',
          status.get('Atelectasis') === 'positive' ? 'positive' : 'uncertain',
        )
      findings.push(`${cap(P(r, zones))} ${nounOf('Lung Opacity')}, ${causeN}.`)
      said.add('Lung Opacity')
      said.add(cause)
      if (hedge === 'atelectasis versus') said.add('Atelectasis')
    }
  }
}

/** The findings, several of one status in a sentence, and the impressions that restate them. */
function writeFindings(
  d: Draft,
  labels: readonly Label[],
  said: ReadonlySet<Label>,
  findings: string[],
  impression: string[],
): void {
  const { r, lg, status, nounOf, sentence } = d
  // several findings of one status in one sentence; mixed sentences ("effusion without pneumothorax")
  const queue = labels.filter((l) => !said.has(l))
  while (queue.length) {
    const l = queue.shift() as Label
    const st = status.get(l) as Status
    const group = [l]
    const maxGroup = st === 'negative' ? 4 : 2
    while (group.length < maxGroup && r() < (st === 'negative' ? 0.6 : 0.3)) {
      const j = queue.findIndex(
        (o) => status.get(o) === st && o !== 'Support Devices' && l !== 'Support Devices',
      )
      if (j < 0) break
      group.push(queue.splice(j, 1)[0] as Label)
    }
    let text = sentence(group, st)
    if (!lg && st === 'positive' && group.length === 1 && r() < 0.3) {
      const j = queue.findIndex((o) => status.get(o) === 'negative' && o !== 'Support Devices')
      if (j >= 0) {
        const o = queue.splice(j, 1)[0] as Label
        text =
          `${text.replace(/\.$/, '')} ${P(r, ['without', 'with no', '; no'])} ${nounOf(o)}.`.replace(
            ' ; ',
            '; ',
          )
        group.push(o)
      }
    }
    findings.push(text)
    // a second mention of the same finding that does not change it: positive wins over uncertain
    // and negative, uncertain over negative ("Possible left effusion. No right effusion.")
    if (!lg && st !== 'negative' && l !== 'Support Devices' && r() < 0.2) {
      const n = nounOf(l)
      findings.push(
        st === 'positive'
          ? P(r, [
              `No other ${n}.`,
              `No new ${n} elsewhere.`,
              `No ${n} on the ${P(r, ['right', 'left'])}.`,
              `No contralateral ${n}.`,
            ])
          : P(r, [`No ${n} on the ${P(r, ['right', 'left'])}.`, `No definite contralateral ${n}.`]),
      )
    }
    // impressions restate positive and uncertain findings, sometimes a key negative
    if (st !== 'negative' ? r() < 0.55 : r() < 0.15) impression.push(sentence([l], st))
  }
}

function neutralSentences(r: R, lg: Lang | undefined): string[] {
  // words that set no label
  return lg
    ? [P(r, lg.clear)]
    : [
        P(r, [
          'The lungs are clear.',
          'The lungs are well expanded.',
          'Lungs are clear bilaterally.',
        ]),
        P(r, [
          '',
          'No acute osseous abnormality.',
          'The visualised upper abdomen is unremarkable.',
          'Trachea is midline.',
          // CheXpert's conventions: clips and sternotomy wires are no support devices
          'Median sternotomy wires are intact.',
          'Sternotomy wires and mediastinal clips are noted.',
          'Postsurgical changes of CABG.',
          'Surgical clips in the left axilla.',
        ]),
        P(r, ['', '', '', ...otherFindings]),
        // words of a label's vocabulary that state nothing about it
        P(r, [
          '',
          'The mediastinal contours are unchanged.',
          'Stable cardiomediastinal silhouette.',
          'No destructive bone lesion is identified.',
          'No lytic or sclerotic osseous lesion.',
          'The visceral pleural line is not displaced.',
          'No mediastinal shift.',
          'No free air under the diaphragm.',
          'Nipple shadows are noted bilaterally.',
          'Skin fold over the left apex.',
          'Normal pulmonary vascularity.',
          'The hila are normal in size and density.',
          'Normal vascular markings.',
          'The diaphragm is normal in contour and position.',
          'The soft tissues are unremarkable.',
          // device words in other senses: "central", "line", "port", "lead", "tip"
          'The trachea is central.',
          'The central airways are patent.',
          'The left heart border is well defined.',
          'Portable technique limits assessment of the lung bases.',
          'The apices are clear.',
          'Skin fold lines project over the right hemithorax.',
          'The costophrenic angles are lateral to the rib tips.',
          'Lead apron artefact over the abdomen.',
        ]),
      ]
}

/** Findings outside the labels (CheXpert's no-finding phrases): they set no label and leave No
 * Finding unset. */
export const otherFindings = [
  'Degenerative changes of the thoracic spine.',
  'Emphysematous changes.',
  'Mild scoliosis.',
  'Calcified aortic knob.',
  'Aortic atherosclerotic calcification.',
  'The lungs are hyperinflated.',
  'Calcified granuloma in the right upper lobe.',
  'Scattered calcified granulomas.',
  'Stable calcified left hilar granuloma.',
  'Small hiatal hernia.',
  'Surgical emphysema in the left chest wall.',
  'Lung volumes are low.',
]

/** Neutral sentences among the findings; the impression of a normal study, a recommendation. */
function closeImpression(
  r: R,
  lg: Lang | undefined,
  neutral: readonly string[],
  anyFinding: boolean,
  nothingAcute: boolean,
  findings: string[],
  impression: string[],
): void {
  for (const n of neutral)
    if (n && r() < 0.7) findings.splice(Math.floor(r() * (findings.length + 1)), 0, n)
  if (!anyFinding && r() < 0.8)
    impression.unshift(
      lg
        ? P(r, lg.normal)
        : P(r, [
            'No acute cardiopulmonary abnormality.',
            'No acute cardiopulmonary process.',
            'Normal chest radiograph.',
            'No acute findings.',
            'Stable chest, no acute disease.',
            'No active disease.',
          ]),
    )
  // real impressions say "no acute process" beside chronic findings (healed fractures,
  // granulomas, stable cardiomegaly): the findings stay positive and No Finding stays unset
  else if (anyFinding && nothingAcute && r() < 0.45)
    impression.push(lg ? (lg.normal[0] as string) : P(r, noAcute))
  if (impression.length === 0 && findings.length)
    impression.push(findings[findings.length - 1] as string)
  // recommendations and communications: change words ("resolution") that state nothing
  if (!lg && r() < 0.35)
    impression.push(
      P(r, [
        'A follow-up radiograph after treatment is recommended to confirm resolution.',
        'Repeat imaging in six to eight weeks is suggested to document resolution.',
        'Clinical correlation is recommended.',
        'CT of the chest may be considered if symptoms persist.',
        'The findings were discussed with the referring team at the time of reporting.',
        'No follow-up imaging is required.',
        'Comparison with prior studies would be helpful.',
        'Please correlate with the clinical findings and inflammatory markers.',
      ]),
    )
}

/** The "nothing acute" impressions that real reports write beside chronic findings too. */
const noAcute = [
  'No acute cardiopulmonary process.',
  'No acute cardiopulmonary abnormality.',
  'No acute disease.',
  'Otherwise no acute cardiopulmonary process.',
  'No acute findings.',
  'Otherwise negative.',
]

/** Labels a report calls acute: any of them positive or uncertain rules out "no acute process". */
const acute: readonly Label[] = [
  'Enlarged Cardiomediastinum',
  'Lung Opacity',
  'Edema',
  'Consolidation',
  'Pneumonia',
  'Pneumothorax',
  'Pleural Effusion',
]

/** The report's frame: indication, comparison, exam, section heads, header lines. */
function frame(d: Draft) {
  const { r, lg, nounOf } = d
  // the indication asks about findings: a question sets nothing
  const asked = P(
    r,
    cxrLabels.filter((l) => l !== 'Support Devices'),
  )
  const askedN = nounOf(asked)
  const indication = lg
    ? cap(P(r, lg.question).replace('{N}', askedN))
    : P(r, [
        `Evaluate for ${askedN}.`,
        `Cough and fever, ? ${askedN}.`,
        `R/O ${askedN}.`,
        `${P(r, ['45', '67', '72', '58', '81', '33'])}-year-old ${P(r, ['man', 'woman', 'patient'])} with shortness of breath. Assess for ${askedN}.`,
        `Follow-up of ${askedN}.`,
        `Chest pain. History of ${askedN}.`,
        `Post-operative. Exclude ${askedN}.`,
        `Line placement.`,
        `XXXX-year-old XXXX with dyspnea.`,
        `Pre-operative assessment.`,
      ])
  const comparison = lg
    ? P(r, [...lg.none, '[REDACTED].', 'XXXX.'])
    : P(r, [
        'None.',
        'XXXX.',
        'Chest radiograph of [REDACTED].',
        'Prior study from XXXX.',
        'CT chest dated XXXX.',
        'None available.',
      ])
  const exam = lg
    ? P(r, lg.exam)
    : P(r, [
        'Chest radiograph, PA and lateral',
        'CHEST 2 VIEWS',
        'Portable AP chest',
        'XR CHEST 1 VIEW',
        'PA and lateral chest',
      ])
  const heads = lg?.heads ?? {
    indication: [
      'INDICATION',
      'CLINICAL HISTORY',
      'HISTORY',
      'Reason for exam',
      'CLINICAL INDICATION',
    ],
    comparison: ['COMPARISON', 'Comparison'],
    findings: ['FINDINGS', 'Findings'],
    impression: ['IMPRESSION', 'CONCLUSION', 'Impression', 'OPINION'],
  }
  const h = (xs: string[]) => {
    const x = P(r, xs)
    return r() < 0.5 ? x.toUpperCase() : x
  }
  const header =
    r() < 0.5
      ? P(r, [
          'Patient: [REDACTED]    Accession: [REDACTED]',
          'Name: XXXX  MRN: XXXX',
          'Exam date: [REDACTED]',
          '',
        ])
      : ''
  const placeholders = (s: string) =>
    r() < 0.15 ? s.replace(/\. ([A-Z])/, '. Dr. XXXX was notified at XXXX. $1') : s

  return { indication, comparison, exam, heads, h, header, placeholders }
}

type Parts = ReturnType<typeof frame> & { f: string[]; impression: string[] }

function plainBody(r: R, { f, impression, indication }: Parts): string {
  // the terse outpatient report: findings and impression only, short sentences, numbered
  // impressions, redacted words
  const redact = (x: string) =>
    x.replace(/\b(right|left|chest|dated|today|portable|prior)\b/gi, (w) =>
      r() < 0.08 ? 'XXXX' : w,
    )
  const lines = [
    r() < 0.4
      ? `Comparison: ${P(r, ['XXXX', 'None.', 'XXXX, XXXX.', 'Chest radiographs XXXX.'])}`
      : '',
    r() < 0.4 ? `Indication: ${indication}` : '',
    `Findings: ${redact(f.join(' '))}`,
    `Impression: ${
      impression.length > 1 && r() < 0.6
        ? `\n${impression.map((x, i) => `${i + 1}. ${redact(x).replace(/\.$/, r() < 0.5 ? '' : '.')}`).join('\n')}`
        : redact(impression.join(' '))
    }`,
  ]
  return lines
    .filter(Boolean)
    .map((x) => (r() < 0.5 ? x.replace(/^(\w+):/, (h) => h.toUpperCase()) : x))
    .join(r() < 0.5 ? '\n' : '\n\n')
}

function unsectionedBody(r: R, { f, impression, indication, exam }: Parts): string {
  return [`${exam}.`, P(r, ['', `${indication}`]), ...f, ...impression.slice(0, r() < 0.5 ? 0 : 1)]
    .filter(Boolean)
    .join(' ')
}

function numberedBody({ f, impression, indication, comparison, heads, h }: Parts): string {
  return [
    `${h(heads.indication)}: ${indication}`,
    `${h(heads.comparison)}: ${comparison}`,
    '',
    `${h(heads.findings)}:`,
    ...f.map((s) => `- ${s}`),
    '',
    `${h(heads.impression)}:`,
    ...impression.map((s, i) => `${i + 1}. ${s}`),
  ].join('\n')
}

function terseBody(
  lg: Lang | undefined,
  { f, impression, indication, exam, heads, h, header }: Parts,
): string {
  const terse = (s: string) => (lg ? s : s.replace(/^There is /, '').replace(/^The /, ''))
  return [
    header,
    `${exam.toUpperCase()}`,
    `${h(heads.indication)}: ${indication}`,
    `${h(heads.findings)}: ${f.map(terse).join(' ')}`,
    `${h(heads.impression)}: ${impression.map(terse).join(' ')}`,
  ]
    .filter(Boolean)
    .join('\n')
}

function sectionedBody(
  r: R,
  { f, impression, indication, comparison, exam, heads, h, header, placeholders }: Parts,
): string {
  const order = r() < 0.15 ? ['impression', 'findings'] : ['findings', 'impression']
  const part = (k: string) =>
    k === 'findings'
      ? `${h(heads.findings)}:\n${wrap(r, placeholders(f.join(' ')))}`
      : `${h(heads.impression)}:\n${r() < 0.5 ? impression.map((s, i) => `${i + 1}. ${s}`).join('\n') : wrap(r, impression.join(' '))}`
  return [
    header,
    `EXAMINATION: ${exam}.`,
    '',
    `${h(heads.indication)}: ${indication}`,
    '',
    r() < 0.3
      ? `TECHNIQUE: ${P(r, ['PA and lateral views of the chest.', 'Single frontal view.', 'AP portable.'])}\n`
      : '',
    `${h(heads.comparison)}: ${comparison}`,
    '',
    ...order.flatMap((k) => [part(k), '']),
  ]
    .filter((x, i, a) => !(x === '' && a[i - 1] === ''))
    .join('\n')
}

/** Wraps a paragraph at about 100 characters, as report editors do. */
function wrap(r: R, s: string): string {
  const width = 80 + Math.floor(r() * 40)
  const out: string[] = []
  let line = ''
  for (const w of s.split(' ')) {
    if (line && line.length + w.length + 1 > width) {
      out.push(line)
      line = w
    } else line = line ? `${line} ${w}` : w
  }
  if (line) out.push(line)
  return out.join('\n')
}

export interface CorpusOptions extends FamilyOptions {
  count: number
  seed: number
}

export function cxrCorpus(opts: CorpusOptions): CxrReport[] {
  const { layouts: ls, languages: gs } = pickFamilies(
    cxrLayouts,
    cxrLayoutFamily,
    cxrLanguages,
    opts,
  )
  // English carries most of the corpus (the task's aliases and cues are English)
  const weighted = gs.flatMap((g) => (g === 'en' ? [g, g, g, g, g, g] : [g]))
  return Array.from({ length: opts.count }, (_, i) =>
    composeCxr(opts.seed, i, { layouts: ls, langs: weighted }),
  )
}
