/**
 * The compositional bone-metastasis corpus (bonemets3): oncology follow-up reports whose group is
 * set by what they say about bone metastases, against the traps the task names: metastases
 * elsewhere that are new or growing (liver, lung, nodes, adrenal), benign bone findings
 * (haemangioma, degenerative change, Schmorl nodes, bone islands, old fractures), hedged wording,
 * comparisons with several prior exams, a scintigraphic flare, sclerotic healing. Layouts
 * (sectioned prose, organ lists, terse lines, unsectioned letters) and languages are families that
 * can be held out whole. Group: 0 none, 1 new or enlarging, 2 stable or decreased.
 */
import { rng } from '../../core/random.ts'
import type { TaskRecord } from '../../schemas/record.ts'
import { type FamilyOptions, pickFamilies } from './families.ts'
import { P, type R } from './printer.ts'

export const boneLayouts = ['sectioned', 'organs', 'terse', 'letter'] as const
export type BoneLayout = (typeof boneLayouts)[number]
export const boneLayoutFamily: Record<BoneLayout, string> = {
  sectioned: 'prose',
  organs: 'lists',
  terse: 'terse',
  letter: 'unsectioned',
}
export const boneLanguages = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt'] as const
export type BoneLanguage = (typeof boneLanguages)[number]

type Group = 0 | 1 | 2

const primaries = {
  en: [
    'breast cancer',
    'prostate cancer',
    'non-small cell lung cancer',
    'renal cell carcinoma',
    'rectal cancer',
    'melanoma',
    'thyroid cancer',
  ],
  de: [
    'Mammakarzinom',
    'Prostatakarzinom',
    'Bronchialkarzinom',
    'Nierenzellkarzinom',
    'Rektumkarzinom',
  ],
}
const bones = {
  en: [
    'T8',
    'L3',
    'L1',
    'T11',
    'the right ilium',
    'the sacrum',
    'the left sixth rib',
    'the sternum',
    'the right proximal femur',
    'the left acetabulum',
    'C6',
    'the left scapula',
    'the T10 vertebral body',
    'the pelvis',
  ],
  de: [
    'BWK 8',
    'LWK 3',
    'LWK 1',
    'BWK 11',
    'Os ilium rechts',
    'Os sacrum',
    'der 6. Rippe links',
    'Sternum',
    'Femur rechts proximal',
    'Azetabulum links',
  ],
}
const organs = {
  en: [
    'liver',
    'lung',
    'mediastinal lymph node',
    'adrenal',
    'retroperitoneal lymph node',
    'peritoneal',
    'brain',
    'pleural',
  ],
  de: [
    'Leber',
    'Lunge',
    'mediastinale Lymphknoten',
    'Nebenniere',
    'retroperitoneale Lymphknoten',
    'Peritoneum',
  ],
}

interface Said {
  findings: string[]
  diagnosis: string[]
  history: string[]
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** A diagnosis line composed from parts: which bone word, which metastasis word, which verb. */
function enDiagnosis(r: R, g: Group, known: boolean): string {
  const adj = P(r, ['bone', 'osseous', 'skeletal', 'bony'])
  const met = P(r, [
    'metastases',
    'metastatic disease',
    'metastatic deposits',
    'secondaries',
    'metastatic lesions',
    'deposits',
  ])
  const loc = P(r, [
    '',
    '',
    ` in ${P(r, bones.en)}`,
    ` in the ${P(r, ['spine', 'pelvis', 'ribs', 'thoracic spine', 'left femur'])}`,
  ])
  const hedge = P(r, ['', '', '', 'probable ', 'likely ', 'in keeping with '])
  const tail =
    g === 2
      ? P(r, [
          '',
          '',
          ', with no new bone lesion',
          ', without new lesions',
          '; no new osseous lesion',
        ])
      : g === 0
        ? P(r, [
            '',
            '',
            '; in particular, no bone metastasis',
            '; the skeleton is free of metastases',
          ])
        : P(r, ['', '', ', with new lesions', ' and a new pathological fracture'])
  const t =
    g === 1
      ? P(r, [
          `Progression of the ${adj} ${met}.`,
          `Progressive ${adj} ${met}.`,
          `${cap(hedge)}new ${adj} ${met}${loc}.`,
          `Increase in size and number of the ${adj} ${met}.`,
          `Enlarging ${adj} ${met}${loc}.`,
          `${cap(adj)} progression.`,
          `Interval development of ${adj} ${met}${loc}.`,
          `Further ${adj} ${met} have appeared${loc}.`,
          `Growing ${adj} ${met}.`,
          `${cap(adj)} mets, progressing.`,
          `Growing lytic lesion in ${P(r, bones.en)}.`,
          `The lytic lesion in ${P(r, bones.en)} has grown.`,
          `${cap(adj)} ${met}: progressive disease (PD).`,
          `Disease progression in the skeleton with new lesions${loc}.`,
          known
            ? `Mixed response: the known ${adj} ${met} are stable, but a new lesion has appeared${loc}.`
            : `First presentation of ${adj} ${met}${loc}.`,
        ])
      : g === 2
        ? P(r, [
            `Stable ${adj} ${met}.`,
            `${cap(adj)} ${met}, stable.`,
            `${cap(adj)} mets unchanged.`,
            `${cap(adj)} ${met} without interval change.`,
            `Sclerotic ${adj} ${met}, no significant change.`,
            `Known ${adj} mets, stable appearance.`,
            `Unchanged ${adj} ${met}.`,
            `No change in the known ${adj} ${met}.`,
            `The ${adj} ${met} are stable in size and number.`,
            `Decrease in the ${adj} ${met}.`,
            `Regressing ${adj} ${met}.`,
            `Smaller ${adj} ${met}.`,
            `Treatment response of the ${adj} ${met}.`,
            `Sclerosis of the known ${adj} ${met}, consistent with healing.`,
            `No new ${adj} ${met}; the known lesions are unchanged.`,
            `Known ${adj} ${met} without progression.`,
            `Increased uptake of the known ${adj} ${met} without new lesions, in keeping with a flare response.`,
            `Stable compared with the most recent study; the ${adj} ${met} are smaller than at baseline.`,
          ])
        : P(r, [
            `No ${adj} ${met}.`,
            `No evidence of ${adj} ${met}.`,
            `No suspicious ${adj} lesion.`,
            `No ${adj} metastatic involvement.`,
            `Negative for ${adj} ${met}.`,
            `Skeleton free of ${met}.`,
            `No findings suggestive of ${adj} ${met}.`,
            `No new ${adj} lesion; no ${adj} ${met}.`,
            `New brain metastases; the calvarium is normal.`,
            `Multiple new cerebral metastases. No osseous lesion of the skull.`,
            `Enlarging brain metastases. Normal calvarium and skull base.`,
          ])
  return tail ? `${t.replace(/\.$/, '')}${tail}.` : t
}

function enBone(r: R, g: Group, known: boolean, s: Said) {
  enBoneFixed(r, g, known, s)
  // other lines of the diagnosis: negations about other organs beside bone progression, and the
  // like; they must not decide the group
  if (r() < 0.5)
    s.diagnosis.push(
      P(r, [
        'No visceral metastasis.',
        'No local recurrence and no other site of metastatic disease.',
        'Stable primary tumour.',
        'No new liver lesions.',
        'No pathological fracture.',
        'No evidence of spinal cord compression.',
        'Urgent MRI of the spine is recommended.',
        'The findings were telephoned to the referring team.',
      ]),
    )
  if (r() < 0.5) s.diagnosis[s.diagnosis.length - 1] = enDiagnosis(r, g, known)
  // progression wins: new lesions beside known ones that are unchanged, said in both sections
  if (g === 1 && known && r() < 0.6) {
    const stable = P(r, [
      `The previously known metastases in ${P(r, bones.en)} and ${P(r, bones.en)} are unchanged.`,
      'The other known bone lesions are stable.',
      `Known sclerotic metastases in ${P(r, bones.en)} are unchanged in size.`,
      'The remaining skeletal metastases show similar extent and intensity of uptake.',
      'Existing lesions are stable or smaller.',
    ])
    s.findings.push(stable)
    if (r() < 0.7) {
      if (r() < 0.5) s.diagnosis.push(stable)
      else s.diagnosis.unshift(stable)
    }
  }
  // decreased or stable wins over wording that sounds like growth
  if (g === 2 && r() < 0.3)
    s.findings.push(
      P(r, [
        'The sclerotic rim of the known lesions has increased.',
        'Increased sclerosis of the known lesions, without a new lytic component.',
        'Increased tracer uptake in the treated lesions, without new foci.',
      ]),
    )
}

function enBoneFixed(r: R, g: Group, known: boolean, s: Said) {
  const b = () => P(r, bones.en)
  const kind = P(r, ['sclerotic', 'lytic', 'mixed lytic and sclerotic', 'osteoblastic', 'blastic'])
  if (g === 0) {
    const benign = P(r, [
      `A ${P(r, ['1.2 cm', '8 mm', '15 mm'])} vertebral haemangioma in ${b()} is unchanged.`,
      `Multilevel degenerative changes of the spine with osteophytes.`,
      `Schmorl node at ${b()}.`,
      `A ${P(r, ['5 mm', '7 mm', '1 cm'])} sclerotic focus in ${b()}, unchanged for years, consistent with a bone island.`,
      `Healed fracture of ${b()}.`,
      `Degenerative uptake in the knees and the lower lumbar facet joints.`,
      `Diffuse osteopenia.`,
      `Old healed rib fractures.`,
      `Enostosis in ${b()}, stable.`,
      `A new ${P(r, ['4 mm', '6 mm'])} sclerotic focus in ${b()} is indeterminate and most likely a bone island.`,
    ])
    s.findings.push(
      P(r, ['Bones: ', 'Skeleton: ', 'Osseous structures: ', '']) +
        benign +
        (r() < 0.6 ? ' No lytic or sclerotic lesion suspicious for metastasis.' : ''),
    )
    s.diagnosis.push(
      P(r, [
        'No evidence of bone metastasis.',
        'No osseous metastatic disease.',
        'No bone metastases.',
        'No suspicious osseous lesion.',
        'Benign bone findings only; no skeletal metastasis.',
        'No scintigraphic evidence of skeletal metastases.',
        'No new or progressive bone lesion; no evidence of metastatic bone disease.',
        'No evidence of distant metastasis; in particular, no bone metastasis.',
        'No scintigraphic evidence of bone metastasis.',
        'Bones: no metastases.',
        `${cap(benign.replace(/\.$/, ''))}; no bone metastasis.`,
      ]),
    )
    if (r() < 0.3) s.diagnosis.push(cap(benign))
    if (r() < 0.3)
      s.diagnosis.unshift(
        P(r, [
          'Enlarged axillary lymph nodes, consistent with the known nodal metastasis.',
          'Known liver metastases, unchanged.',
          'No evidence of distant metastasis.',
          'Stable pulmonary metastases.',
        ]),
      )
    return
  }
  if (g === 1) {
    const first = !known || r() < 0.2
    const finding = first
      ? P(r, [
          `New ${kind} lesions in ${b()} and ${b()}, consistent with metastases.`,
          `There are new areas of intense uptake in ${b()}, ${b()} and ${b()}.`,
          `A new ${P(r, ['1.4 cm', '2 cm', '9 mm'])} ${kind} lesion in ${b()}, typical of a metastasis.`,
          `Several new ${kind} foci in the axial skeleton.`,
        ])
      : P(r, [
          `The known ${kind} metastasis in ${b()} has enlarged from ${P(r, ['1.2', '1.8', '2.1'])} to ${P(r, ['2.4', '2.9', '3.3'])} cm.`,
          `New ${kind} lesion in ${b()}; the other known bone metastases are unchanged.`,
          `Increase in the number and size of the osseous metastases.`,
          `The lesion in ${b()} has enlarged, with a new pathological fracture.`,
          `New foci of uptake in ${b()} and ${b()} beside the known, stable lesions.`,
          `The known lesions are stable, but there is a new ${kind} metastasis in ${b()}.`,
        ])
    s.findings.push(finding)
    s.diagnosis.push(
      P(r, [
        first ? 'New bone metastases.' : 'Progression of the bone metastases.',
        first
          ? 'First appearance of osseous metastases.'
          : 'Progressive osseous metastatic disease.',
        'Osseous progression with new lesions.',
        first ? `New ${kind} bone metastasis in ${b()}.` : `Enlarging bone metastasis in ${b()}.`,
        'Progression of skeletal metastases.',
        'Progressive bone disease.',
        `New metastasis in ${b()}; the remaining bone metastases are stable.`,
        'Increasing number of skeletal lesions, in keeping with progression.',
        'Bone metastases: progressive disease.',
      ]),
    )
    return
  }
  const finding = P(r, [
    `The known ${kind} metastases in ${b()} and ${b()} are unchanged.`,
    `The bone metastases are smaller and fewer than before.`,
    `The lytic lesions in ${b()} have become sclerotic, consistent with healing.`,
    `No new bone lesions. The known metastases show similar extent and intensity of uptake.`,
    `Increased uptake in the known lesions without new lesions, consistent with a flare phenomenon rather than progression.`,
    `The metastasis in ${b()} has decreased from ${P(r, ['2.8', '2.2', '3.1'])} to ${P(r, ['1.9', '1.5', '2.0'])} cm.`,
    `Stable appearance of the diffuse ${kind} skeletal metastases.`,
  ])
  s.findings.push(finding)
  s.diagnosis.push(
    P(r, [
      'Stable bone metastases.',
      'Known osseous metastases, unchanged.',
      'Partial response of the bone metastases.',
      'Treatment response of the skeletal metastases (sclerotic healing).',
      'No progression of the bone metastases.',
      'Bone metastases stable to responding; flare phenomenon, not progression.',
      'Regression of the osseous metastases.',
      'Decreased bone metastases, no new lesions.',
      'No new bone metastases; the known lesions are stable.',
      'Known skeletal metastases without progression.',
      'Bone metastases: stable disease.',
      'Sclerotic response of the known metastases; no new or enlarging lesion.',
      'Partial response: bone metastases decreased in size and number, with no new bone lesion.',
    ]),
  )
}

function deBone(r: R, g: Group, known: boolean, s: Said) {
  const b = () => P(r, bones.de)
  const kind = P(r, ['osteoblastische', 'osteolytische', 'sklerotische', 'gemischte'])
  if (g === 0) {
    const benign = P(r, [
      `Wirbelkörperhämangiom in ${b()}, unverändert.`,
      'Degenerative Veränderungen der Wirbelsäule.',
      `Schmorl-Knötchen in ${b()}.`,
      `Kompaktainsel in ${b()}.`,
      'Alte Rippenfrakturen.',
    ])
    s.findings.push(`Skelett: ${benign} Kein Anhalt für ossäre Metastasen.`)
    s.diagnosis.push(
      P(r, [
        'Kein Nachweis ossärer Metastasen.',
        'Keine Knochenmetastasen.',
        'Kein Anhalt für eine ossäre Filialisierung.',
      ]),
    )
    return
  }
  if (g === 1) {
    s.findings.push(
      known && r() < 0.7
        ? P(r, [
            `Neue ${kind} Metastase in ${b()}, übrige Metastasen unverändert.`,
            `Größenprogrediente Metastase in ${b()}.`,
            'Zunahme der ossären Metastasen an Zahl und Größe.',
          ])
        : P(r, [
            `Neu aufgetretene ${kind} Läsionen in ${b()} und ${b()}, vereinbar mit Metastasen.`,
            `Neue Mehrspeicherung in ${b()}.`,
          ]),
    )
    s.diagnosis.push(
      P(r, ['Progrediente ossäre Metastasierung.', 'Neue Knochenmetastasen.', 'Ossärer Progress.']),
    )
    return
  }
  s.findings.push(
    P(r, [
      `Bekannte ${kind} Metastasen in ${b()} unverändert.`,
      'Ossäre Metastasen größenregredient.',
      'Sklerosierung der vorbekannten Osteolysen im Sinne eines Therapieansprechens.',
      'Keine neuen Knochenläsionen.',
    ]),
  )
  s.diagnosis.push(
    P(r, [
      'Stabile ossäre Metastasen.',
      'Regrediente Knochenmetastasen.',
      'Kein ossärer Progress.',
      'Stationäre Knochenmetastasen.',
    ]),
  )
}

/** The other languages: short sentences per group and the report's frame. */
interface BoneLang {
  primaries: string[]
  bones: string[]
  organs: string[]
  history: (primary: string, known: boolean) => string
  ask: string[]
  none: string[]
  progress: string[]
  stable: string[]
  benign: string[]
  elsewhere: string[]
  heads: { ind: string; cmp: string; fnd: string; dx: string; ex: string }
  exam: string[]
  priors: string[]
}
const other: Record<Exclude<BoneLanguage, 'en' | 'de'>, BoneLang> = {
  fr: {
    primaries: ['cancer du sein', 'cancer de la prostate', 'cancer bronchique'],
    bones: ['L3', 'T8', "l'aile iliaque droite", 'le sacrum', 'la 6e côte gauche'],
    organs: ['hépatiques', 'pulmonaires', 'cérébrales', 'ganglionnaires'],
    history: (p, k) => `Patient(e) suivi(e) pour ${p}${k ? ', métastases osseuses connues' : ''}.`,
    ask: ['Bilan d’extension.', 'Recherche de métastases osseuses.', 'Suivi sous traitement.'],
    none: [
      'Pas de métastase osseuse.',
      'Absence de lésion osseuse suspecte.',
      'Pas de lésion osseuse secondaire.',
    ],
    progress: [
      'Progression des métastases osseuses.',
      'Nouvelles lésions osseuses lytiques en {B}.',
      'Apparition de métastases osseuses en {B}.',
      'Augmentation de taille de la métastase osseuse de {B}.',
    ],
    stable: [
      'Métastases osseuses stables.',
      'Lésions osseuses secondaires inchangées.',
      'Pas de nouvelle lésion osseuse; métastases osseuses connues stables.',
      'Diminution des métastases osseuses.',
    ],
    benign: [
      'Hémangiome vertébral en {B}, inchangé.',
      'Îlot osseux condensant en {B}.',
      'Discopathie dégénérative.',
    ],
    elsewhere: [
      'Nouvelles métastases {O}.',
      'Progression des lésions {O}.',
      'Métastases {O} stables.',
    ],
    heads: {
      ind: 'Indication',
      cmp: 'Comparaison',
      fnd: 'Résultats',
      dx: 'Conclusion',
      ex: 'Examen',
    },
    exam: ['Scanner thoraco-abdomino-pelvien injecté.', 'Scintigraphie osseuse.'],
    priors: ['Aucune.', 'Scanner du [REDACTED].'],
  },
  es: {
    primaries: ['cáncer de mama', 'cáncer de próstata', 'cáncer de pulmón'],
    bones: ['L3', 'T8', 'el ilíaco derecho', 'el sacro', 'la sexta costilla izquierda'],
    organs: ['hepáticas', 'pulmonares', 'cerebrales', 'ganglionares'],
    history: (p, k) => `Paciente con ${p}${k ? ' y metástasis óseas conocidas' : ''}.`,
    ask: ['Reestadificación.', 'Descartar metástasis óseas.', 'Control evolutivo.'],
    none: [
      'Sin metástasis óseas.',
      'No se observan lesiones óseas sospechosas.',
      'Ausencia de metástasis óseas.',
    ],
    progress: [
      'Progresión de las metástasis óseas.',
      'Nuevas lesiones óseas líticas en {B}.',
      'Aumento de tamaño de la metástasis ósea en {B}.',
      'Aparición de metástasis óseas en {B}.',
    ],
    stable: [
      'Metástasis óseas estables.',
      'Lesiones óseas metastásicas sin cambios.',
      'Sin nuevas lesiones óseas; metástasis óseas conocidas estables.',
      'Disminución de las metástasis óseas.',
    ],
    benign: [
      'Hemangioma vertebral en {B}, sin cambios.',
      'Islote óseo en {B}.',
      'Cambios degenerativos de la columna.',
    ],
    elsewhere: [
      'Nuevas metástasis {O}.',
      'Progresión de las lesiones {O}.',
      'Metástasis {O} estables.',
    ],
    heads: {
      ind: 'Indicación',
      cmp: 'Comparación',
      fnd: 'Hallazgos',
      dx: 'Conclusión',
      ex: 'Exploración',
    },
    exam: ['TC de tórax, abdomen y pelvis con contraste.', 'Gammagrafía ósea.'],
    priors: ['Ninguno.', 'TC del [REDACTED].'],
  },
  it: {
    primaries: ['carcinoma mammario', 'carcinoma prostatico', 'carcinoma polmonare'],
    bones: ['L3', 'T8', "l'ala iliaca destra", 'il sacro', 'la sesta costa sinistra'],
    organs: ['epatiche', 'polmonari', 'cerebrali', 'linfonodali'],
    history: (p, k) => `Paziente con ${p}${k ? ' e note metastasi ossee' : ''}.`,
    ask: ['Ristadiazione.', 'Escludere metastasi ossee.', 'Controllo in corso di terapia.'],
    none: [
      'Non metastasi ossee.',
      'Assenza di lesioni ossee sospette.',
      'Non lesioni ossee secondarie.',
    ],
    progress: [
      'Progressione delle metastasi ossee.',
      'Nuove lesioni ossee litiche in {B}.',
      'Aumento dimensionale della metastasi ossea in {B}.',
      'Comparsa di metastasi ossee in {B}.',
    ],
    stable: [
      'Metastasi ossee stabili.',
      'Lesioni ossee secondarie invariate.',
      'Non nuove lesioni ossee; note metastasi ossee stabili.',
      'Riduzione delle metastasi ossee.',
    ],
    benign: [
      'Emangioma vertebrale in {B}, invariato.',
      'Isola ossea in {B}.',
      'Alterazioni degenerative del rachide.',
    ],
    elsewhere: [
      'Nuove metastasi {O}.',
      'Progressione delle lesioni {O}.',
      'Metastasi {O} stabili.',
    ],
    heads: {
      ind: 'Quesito clinico',
      cmp: 'Confronto',
      fnd: 'Reperto',
      dx: 'Conclusioni',
      ex: 'Esame',
    },
    exam: ['TC torace, addome e pelvi con mdc.', 'Scintigrafia ossea.'],
    priors: ['Nessuno.', 'TC del [REDACTED].'],
  },
  nl: {
    primaries: ['mammacarcinoom', 'prostaatcarcinoom', 'longcarcinoom'],
    bones: ['L3', 'T8', 'de rechter crista iliaca', 'het sacrum', 'de zesde rib links'],
    organs: ['lever', 'long', 'hersen', 'lymfeklier'],
    history: (p, k) => `Patiënt met ${p}${k ? ' en bekende botmetastasen' : ''}.`,
    ask: ['Herstadiëring.', 'Botmetastasen?', 'Controle onder therapie.'],
    none: [
      'Geen botmetastasen.',
      'Geen verdachte botlaesies.',
      'Geen aanwijzingen voor ossale metastasen.',
    ],
    progress: [
      'Progressie van de botmetastasen.',
      'Nieuwe lytische botlaesies in {B}.',
      'Toename van de botmetastase in {B}.',
      'Nieuwe botmetastasen in {B}.',
    ],
    stable: [
      'Stabiele botmetastasen.',
      'Onveranderde ossale metastasen.',
      'Geen nieuwe botlaesies; bekende botmetastasen stabiel.',
      'Afname van de botmetastasen.',
    ],
    benign: [
      'Wervelhemangioom in {B}, onveranderd.',
      'Boteiland in {B}.',
      'Degeneratieve afwijkingen van de wervelkolom.',
    ],
    elsewhere: [
      'Nieuwe {O}metastasen.',
      'Progressie van de {O}laesies.',
      'Stabiele {O}metastasen.',
    ],
    heads: {
      ind: 'Vraagstelling',
      cmp: 'Vergelijking',
      fnd: 'Verslag',
      dx: 'Conclusie',
      ex: 'Onderzoek',
    },
    exam: ['CT thorax en abdomen met contrast.', 'Skeletscintigrafie.'],
    priors: ['Geen.', 'CT van [REDACTED].'],
  },
  pt: {
    primaries: ['câncer de mama', 'câncer de próstata', 'câncer de pulmão'],
    bones: ['L3', 'T8', 'o ilíaco direito', 'o sacro', 'o sexto arco costal esquerdo'],
    organs: ['hepáticas', 'pulmonares', 'cerebrais', 'linfonodais'],
    history: (p, k) => `Paciente com ${p}${k ? ' e metástases ósseas conhecidas' : ''}.`,
    ask: ['Reestadiamento.', 'Pesquisa de metástases ósseas.', 'Controle sob tratamento.'],
    none: [
      'Sem metástases ósseas.',
      'Não há lesões ósseas suspeitas.',
      'Ausência de metástases ósseas.',
    ],
    progress: [
      'Progressão das metástases ósseas.',
      'Novas lesões ósseas líticas em {B}.',
      'Aumento da metástase óssea em {B}.',
      'Surgimento de metástases ósseas em {B}.',
    ],
    stable: [
      'Metástases ósseas estáveis.',
      'Lesões ósseas secundárias inalteradas.',
      'Sem novas lesões ósseas; metástases ósseas conhecidas estáveis.',
      'Redução das metástases ósseas.',
    ],
    benign: [
      'Hemangioma vertebral em {B}, inalterado.',
      'Ilhota óssea em {B}.',
      'Alterações degenerativas da coluna.',
    ],
    elsewhere: ['Novas metástases {O}.', 'Progressão das lesões {O}.', 'Metástases {O} estáveis.'],
    heads: { ind: 'Indicação', cmp: 'Comparação', fnd: 'Achados', dx: 'Impressão', ex: 'Exame' },
    exam: ['TC de tórax, abdome e pelve com contraste.', 'Cintilografia óssea.'],
    priors: ['Nenhum.', 'TC de [REDACTED].'],
  },
}

/** A report's sentences in one of the other languages. */
function langBone(r: R, lg: BoneLang, g: Group, known: boolean, s: Said) {
  const fill = (t: string) => t.replace('{B}', P(r, lg.bones)).replace('{O}', P(r, lg.organs))
  s.history.push(lg.history(P(r, lg.primaries), known), P(r, lg.ask))
  if (r() < 0.6) s.findings.push(fill(P(r, lg.elsewhere)))
  if (g === 0) {
    if (r() < 0.6) s.findings.push(fill(P(r, lg.benign)))
    s.diagnosis.push(P(r, lg.none))
  } else {
    const line = fill(P(r, g === 1 ? lg.progress : lg.stable))
    s.findings.push(line)
    s.diagnosis.push(r() < 0.5 ? line : fill(P(r, g === 1 ? lg.progress : lg.stable)))
    // progression wins over the known lesions that are unchanged
    if (g === 1 && known && r() < 0.4) s.diagnosis.push(fill(lg.stable[0] as string))
  }
  if (r() < 0.4) s.diagnosis.unshift(fill(P(r, lg.elsewhere)))
}

/** Metastases elsewhere and other findings: they move the report, never the group. */
function elsewhere(r: R, lang: BoneLanguage, s: Said) {
  if (lang === 'de') {
    const o = P(r, organs.de)
    const t = P(r, [
      `Neue Metastasen ${o === 'Leber' ? 'der Leber' : `in ${o}`}.`,
      `Größenprogrediente Filiae: ${o}.`,
      `${o}: unauffällig.`,
      `Stabile Metastasen: ${o}.`,
    ])
    s.findings.push(t)
    if (/Neue|progredient/.test(t) && r() < 0.7)
      s.diagnosis.unshift(
        `Progress der ${o === 'Leber' ? 'hepatischen' : 'extraossären'} Metastasen.`,
      )
    return
  }
  const o = P(r, organs.en)
  const t = P(r, [
    `New ${o} metastases, the largest ${P(r, ['1.6', '2.3', '0.9'])} cm.`,
    `Enlarging ${o} metastasis.`,
    `The ${o} lesions have increased in size and number.`,
    `No ${o} lesion.`,
    `Stable ${o} metastases.`,
    `A new ${P(r, ['6 mm', '11 mm'])} ${o === 'lung' ? 'pulmonary nodule' : `${o} lesion`}, suspicious for metastasis.`,
    `Progression of ${o} disease.`,
  ])
  s.findings.push(t)
  if (/New|Enlarging|increased|Progression/.test(t) && r() < 0.7)
    s.diagnosis.unshift(
      P(r, [
        `Progression of the ${o} metastases.`,
        `New ${o} metastases.`,
        `Progressive disease in the ${o}.`,
      ]),
    )
}

export interface BoneReport {
  id: string
  layout: BoneLayout
  language: BoneLanguage
  families: string[]
  text: string
  gold: TaskRecord
}

export function composeBone(
  seed: number,
  index: number,
  opts: { layouts: readonly BoneLayout[]; langs: readonly BoneLanguage[] },
): BoneReport {
  const r = rng((seed * 2_000_003 + index * 104_729) >>> 0)
  const layout = P(r, opts.layouts)
  const lang = P(r, opts.langs)
  const group = P(r, [0, 1, 2] as Group[])
  // known bone metastases before this exam: always for group 2, often for 1, sometimes
  // "known" in the history of a group 0 report is a question only
  const known = group === 2 || (group === 1 && r() < 0.6)
  const s: Said = { findings: [], diagnosis: [], history: [] }
  const primary = lang === 'en' || lang === 'de' ? P(r, primaries[lang]) : ''
  if (lang === 'en') enReport(r, group, known, primary, s)
  else if (lang !== 'de') langBone(r, other[lang], group, known, s)
  else deReport(r, group, known, primary, s)
  s.findings.sort(() => r() - 0.5)
  return {
    id: `bone-${seed}-${String(index).padStart(5, '0')}`,
    layout,
    language: lang,
    families: [boneLayoutFamily[layout], `lang:${lang}`],
    text: boneText(r, layout, s, boneFrame(r, lang)),
    gold: { group },
  }
}

/** An English report's history and findings, around its bone findings. */
function enReport(r: R, group: Group, known: boolean, primary: string, s: Said): void {
  const lang = 'en'
  s.history.push(
    `${P(r, ['54', '61', '68', '73', '47', '80'])}-year-old ${P(r, ['man', 'woman', 'patient'])} with ${primary}${known ? ` and known ${P(r, ['bone', 'osseous', 'skeletal'])} metastases${r() < 0.5 ? ` in ${P(r, bones.en)}` : ''}` : ''}${r() < 0.35 ? ` and known ${P(r, ['nodal', 'liver', 'lung', 'adrenal'])} metastases` : ''}.`,
    P(r, [
      'Restaging.',
      'Assess for progression.',
      'Evaluate for bone metastasis.',
      'Rising tumour markers.',
      'Back pain. Exclude skeletal metastases.',
      'Follow-up under systemic therapy.',
      'Rising PSA.',
      'Staging before therapy.',
    ]),
  )
  if (r() < 0.7) elsewhere(r, lang, s)
  if (r() < 0.4)
    s.findings.push(
      P(r, [
        'The lungs are clear.',
        'No pleural effusion.',
        'Liver without focal lesion.',
        'No ascites.',
        'Spleen and pancreas unremarkable.',
      ]),
    )
  enBone(r, group, known, s)
  if (r() < 0.3) elsewhere(r, lang, s)
}

function deReport(r: R, group: Group, known: boolean, primary: string, s: Said): void {
  const lang = 'de'
  s.history.push(
    `${P(r, ['58', '66', '71'])}-jährige${P(r, [' Patientin', 'r Patient'])} mit ${primary}${known ? ' und bekannten ossären Metastasen' : ''}.`,
    P(r, ['Restaging.', 'Verlaufskontrolle.', 'Frage nach Knochenmetastasen.', 'PSA-Anstieg.']),
  )
  if (r() < 0.7) elsewhere(r, lang, s)
  deBone(r, group, known, s)
}

/** Prior studies, the exam and the section heads, in the report's language. */
function boneFrame(r: R, lang: BoneLanguage) {
  const priors =
    lang === 'en'
      ? P(r, [
          'None.',
          'CT from three months ago.',
          'CT of [REDACTED] and bone scan of [REDACTED].',
          'CT from three and six months ago; the bone findings are compared with the most recent.',
          'Bone scan from four months ago.',
          'PET-CT of XXXX.',
        ])
      : lang !== 'de'
        ? P(r, other[lang].priors)
        : P(r, ['Keine.', 'CT vom [REDACTED].', 'Skelettszintigraphie vor vier Monaten.'])
  const exam =
    lang === 'en'
      ? P(r, [
          'CT chest, abdomen and pelvis with contrast.',
          'Whole-body bone scintigraphy.',
          'PET-CT.',
          'MRI of the whole spine.',
          'Bone scan with SPECT/CT.',
        ])
      : lang !== 'de'
        ? P(r, other[lang].exam)
        : P(r, [
            'CT Thorax/Abdomen/Becken mit KM.',
            'Skelettszintigraphie.',
            'MRT der Wirbelsäule.',
          ])
  const H =
    lang === 'en'
      ? {
          ind: P(r, ['CLINICAL INDICATION', 'HISTORY', 'Indication', 'CLINICAL INFORMATION']),
          cmp: P(r, ['COMPARISON', 'Comparison']),
          fnd: P(r, ['FINDINGS', 'Findings', 'REPORT']),
          dx: P(r, ['DIAGNOSIS', 'IMPRESSION', 'CONCLUSION', 'Impression', 'SUMMARY']),
          ex: 'EXAMINATION',
        }
      : lang !== 'de'
        ? other[lang].heads
        : {
            ind: P(r, ['Klinische Angaben', 'Fragestellung', 'Indikation']),
            cmp: 'Voruntersuchung',
            fnd: 'Befund',
            dx: 'Beurteilung',
            ex: 'Untersuchung',
          }
  return { priors, exam, H }
}

function boneText(
  r: R,
  layout: BoneLayout,
  s: Said,
  { priors, exam, H }: ReturnType<typeof boneFrame>,
): string {
  if (layout === 'letter')
    return [`${exam}`, s.history.join(' '), s.findings.join(' '), s.diagnosis.join(' ')].join(' ')
  if (layout === 'terse')
    return [
      `${H.ex}: ${exam}`,
      `${H.ind}: ${s.history.join(' ')}`,
      `${H.cmp}: ${priors}`,
      `${H.fnd}: ${s.findings.join(' ')}`,
      `${H.dx}: ${s.diagnosis.join(' ')}`,
    ].join('\n')
  if (layout === 'organs')
    return [
      `${H.ex}: ${exam}`,
      '',
      `${H.ind}:`,
      s.history.join(' '),
      '',
      `${H.cmp}: ${priors}`,
      '',
      `${H.fnd}:`,
      ...s.findings.map((f) => `- ${f}`),
      '',
      `${H.dx}:`,
      ...s.diagnosis.map((d, i) => `${i + 1}. ${d}`),
    ].join('\n')
  return [
    r() < 0.5 ? 'Patient: [REDACTED]    Accession: [REDACTED]    Exam date: [REDACTED]' : '',
    `${H.ex}: ${exam}`,
    '',
    `${H.ind}:`,
    s.history.join(' '),
    '',
    `${H.cmp}: ${priors}`,
    '',
    `${H.fnd}:`,
    s.findings.join(' '),
    '',
    `${H.dx}:`,
    ...(r() < 0.5 ? s.diagnosis.map((d, i) => `${i + 1}. ${d}`) : [s.diagnosis.join(' ')]),
  ]
    .join('\n')
    .trim()
}

export function boneCorpus(opts: { count: number; seed: number } & FamilyOptions): BoneReport[] {
  const { layouts: ls, languages: gs } = pickFamilies(
    boneLayouts,
    boneLayoutFamily,
    boneLanguages,
    opts,
  )
  const weighted = gs.flatMap((g) => (g === 'en' ? [g, g, g, g, g] : [g]))
  return Array.from({ length: opts.count }, (_, i) =>
    composeBone(opts.seed, i, { layouts: ls, langs: weighted }),
  )
}
