/**
 * Coded meanings for segments (DICOM-SEG's Segmented Property Category and
 * Type, scheme SCT = SNOMED CT), for common structures and findings, with
 * synonyms radiologists type. Codes as DICOM PS3.16 gives them (CID 7150
 * categories; types from CID 7151's anatomical groups, CID 7166 common
 * tissues, CID 7159 lesions) and as 3D Slicer's terminology files
 * (SegmentationCategoryTypeModifier-SlicerGeneralAnatomy.json,
 * -DICOM-Master.json) use them; checked against both. Infarct (55641003)
 * and Calculus (56381008) are SNOMED CT morphologic abnormality concepts
 * outside those tables. Laterality (left/right) is a DICOM modifier the
 * contract does not carry yet: it goes in the segment's name.
 */
import type { CodedConcept } from '../../src-main/shared/contract/labels';

/** One choice of the list: category and type, and other words that find it. */
export interface SegmentCodeEntry {
  readonly category: CodedConcept;
  readonly type: CodedConcept;
  readonly synonyms: readonly string[];
}

const sct = (value: string, meaning: string): CodedConcept => Object.freeze({ scheme: 'SCT', value, meaning });

/** Segmentation property categories (DICOM CID 7150). */
export const segmentCategories = Object.freeze({
  tissue: sct('85756007', 'Tissue'),
  anatomical: sct('123037004', 'Anatomical Structure'),
  morphology: sct('49755003', 'Morphologically Altered Structure'),
  physicalObject: sct('260787004', 'Physical object'),
  bodySubstance: sct('91720002', 'Body Substance'),
});

const { tissue, anatomical, morphology, physicalObject, bodySubstance } = segmentCategories;

type Row = readonly [CodedConcept, string, string, (readonly string[])?];

const rows: readonly Row[] = [
  [anatomical, '10200004', 'Liver', ['hepatic']],
  [anatomical, '78961009', 'Spleen', ['splenic']],
  [anatomical, '15776009', 'Pancreas', ['pancreatic']],
  [anatomical, '64033007', 'Kidney', ['renal', 'left kidney', 'right kidney']],
  [anatomical, '23451007', 'Adrenal gland', ['suprarenal', 'adrenal']],
  [anatomical, '28231008', 'Gallbladder', ['gall bladder', 'cholecyst']],
  [anatomical, '28273000', 'Bile duct', ['biliary tree', 'common bile duct', 'CBD']],
  [anatomical, '69695003', 'Stomach', ['gastric']],
  [anatomical, '38848004', 'Duodenum'],
  [anatomical, '30315005', 'Small intestine', ['small bowel', 'ileum', 'jejunum']],
  [anatomical, '71854001', 'Colon', ['large bowel', 'large intestine']],
  [anatomical, '34402009', 'Rectum'],
  [anatomical, '32849002', 'Esophagus', ['oesophagus']],
  [anatomical, '89837001', 'Bladder', ['urinary bladder']],
  [anatomical, '41216001', 'Prostate'],
  [anatomical, '35039007', 'Uterus'],
  [anatomical, '15497006', 'Ovary'],
  [anatomical, '39607008', 'Lung', ['pulmonary', 'left lung', 'right lung']],
  [anatomical, '45653009', 'Upper lobe of lung'],
  [anatomical, '90572001', 'Lower lobe of lung'],
  [anatomical, '72481006', 'Middle lobe of right lung'],
  [anatomical, '44567001', 'Trachea'],
  [anatomical, '80891009', 'Heart', ['cardiac', 'myocardium']],
  [anatomical, '87878005', 'Left ventricle', ['LV']],
  [anatomical, '53085002', 'Right ventricle', ['RV']],
  [anatomical, '15825003', 'Aorta', ['aortic']],
  [anatomical, '81040000', 'Pulmonary artery', ['PA']],
  [anatomical, '64131007', 'Inferior vena cava', ['IVC']],
  [anatomical, '48345005', 'Superior vena cava', ['SVC']],
  [anatomical, '32764006', 'Portal vein'],
  [anatomical, '32062004', 'Common carotid artery', ['carotid', 'CCA']],
  [anatomical, '86117002', 'Internal carotid artery', ['ICA', 'carotid']],
  [anatomical, '85234005', 'Vertebral artery'],
  [anatomical, '73634005', 'Common iliac artery', ['iliac artery']],
  [anatomical, '12738006', 'Brain'],
  [anatomical, '113305005', 'Cerebellum'],
  [anatomical, '119238007', 'Brain stem', ['brainstem', 'pons', 'medulla']],
  [anatomical, '35764002', 'Brain ventricle', ['ventricular system']],
  [anatomical, '66720007', 'Lateral ventricle'],
  [anatomical, '49841001', 'Third ventricle'],
  [anatomical, '35918002', 'Fourth ventricle'],
  [anatomical, '119406000', 'Thalamus'],
  [anatomical, '5366008', 'Hippocampus', ['hippocampal']],
  [anatomical, '4958002', 'Amygdala'],
  [anatomical, '11000004', 'Caudate nucleus'],
  [anatomical, '89278009', 'Putamen'],
  [anatomical, '68523003', 'Cerebral White Matter', ['white matter', 'WM']],
  [anatomical, '40146001', 'Cerebral Gray Matter', ['grey matter', 'gray matter', 'cortex', 'cerebral cortex']],
  [anatomical, '88442005', 'Corpus callosum'],
  [anatomical, '2748008', 'Spinal cord', ['cord']],
  [anatomical, '56329008', 'Pituitary', ['pituitary gland', 'hypophysis']],
  [anatomical, '244453006', 'Optic chiasm'],
  [anatomical, '79652003', 'Eyeball', ['eye', 'globe']],
  [anatomical, '69748006', 'Thyroid', ['thyroid gland']],
  [anatomical, '385294005', 'Salivary gland', ['parotid', 'submandibular gland']],
  [anatomical, '89546000', 'Skull', ['cranium', 'calvarium']],
  [anatomical, '91609006', 'Mandible', ['jaw']],
  [anatomical, '113197003', 'Rib', ['ribs']],
  [anatomical, '56873002', 'Sternum'],
  [anatomical, '51299004', 'Clavicle'],
  [anatomical, '79601000', 'Scapula'],
  [anatomical, '85050009', 'Humerus'],
  [anatomical, '51282000', 'Vertebra', ['vertebral body', 'spine']],
  [anatomical, '122494005', 'Cervical spine', ['C-spine']],
  [anatomical, '122495006', 'Thoracic spine', ['T-spine']],
  [anatomical, '122496007', 'Lumbar spine', ['L-spine']],
  [anatomical, '54735007', 'Sacrum'],
  [anatomical, '71341001', 'Femur', ['thigh bone', 'femoral head']],
  [anatomical, '72410000', 'Mediastinum'],
  [anatomical, '3120008', 'Pleura', ['pleural']],
  [anatomical, '76848001', 'Pericardium'],
  [tissue, '85756007', 'Tissue'],
  [tissue, '51114001', 'Artery', ['arterial']],
  [tissue, '29092000', 'Vein', ['venous']],
  [tissue, '59820001', 'Blood vessel'],
  [tissue, '87612001', 'Blood'],
  [tissue, '3138006', 'Bone', ['osseous', 'skeleton']],
  [tissue, '91727004', 'Muscle', ['muscular']],
  [tissue, '55603005', 'Fat', ['adipose', 'fatty tissue']],
  [tissue, '71966008', 'Subcutaneous tissue', ['subcutaneous fat']],
  [tissue, '87784001', 'Soft tissue'],
  [tissue, '59441001', 'Lymph node', ['node', 'lymphadenopathy']],
  [tissue, '39937001', 'Skin'],
  [tissue, '309312004', 'Cartilage'],
  [tissue, '91728009', 'Nerve'],
  [tissue, '13024002', 'Tendon'],
  [tissue, '52082005', 'Ligament'],
  [morphology, '4147007', 'Mass', ['tumour', 'tumor']],
  [morphology, '27925004', 'Nodule', ['pulmonary nodule', 'lung nodule']],
  [morphology, '367643001', 'Cyst', ['cystic']],
  [morphology, '52988006', 'Lesion', ['abnormality', 'focal lesion']],
  [morphology, '108369006', 'Neoplasm', ['tumour', 'tumor', 'cancer', 'malignancy']],
  [morphology, '14799000', 'Neoplasm, Secondary', ['metastasis', 'metastases', 'secondary tumour']],
  [morphology, '44132006', 'Abscess', ['collection']],
  [morphology, '50960005', 'Hemorrhage', ['haemorrhage', 'bleeding', 'bleed', 'hematoma', 'haematoma']],
  [morphology, '79654002', 'Edema', ['oedema', 'swelling']],
  [morphology, '55641003', 'Infarct', ['infarction', 'stroke', 'ischaemia', 'ischemia']],
  [morphology, '6574001', 'Necrosis', ['necrotic']],
  [morphology, '75753009', 'Blood clot', ['thrombus', 'clot']],
  [morphology, '55584005', 'Embolus', ['embolism', 'pulmonary embolism', 'PE']],
  [morphology, '18115005', 'Pathologic calcification', ['calcification', 'calcified', 'calcium']],
  [morphology, '56381008', 'Calculus', ['stone', 'kidney stone', 'renal stone', 'gallstone', 'urolithiasis']],
  [physicalObject, '19227008', 'Foreign body', ['foreign object']],
  [physicalObject, '65818007', 'Stent'],
  [physicalObject, '19923001', 'Catheter'],
  [physicalObject, '40388003', 'Implant'],
  [bodySubstance, '32457005', 'Body fluid', ['fluid', 'ascites', 'effusion']],
  [bodySubstance, '74947009', 'Gas', ['air', 'pneumothorax', 'free air']],
];

/** Every entry, in the order above (organs first, then tissues, findings, objects, substances). */
export const segmentCodes: readonly SegmentCodeEntry[] = Object.freeze(
  rows.map(([category, value, meaning, synonyms]) => Object.freeze({ category, type: sct(value, meaning), synonyms: Object.freeze([...(synonyms ?? [])]) })),
);

/** What a new segment means until the user picks: Tissue / Tissue. */
export const defaultSegmentCoding: SegmentCodeEntry = segmentCodes.find((entry) => entry.category === tissue && entry.type.value === '85756007') as SegmentCodeEntry;

/** The entry with this category and type code, or null. */
export function findSegmentCode(categoryValue: string, typeValue: string): SegmentCodeEntry | null {
  return segmentCodes.find((entry) => entry.category.value === categoryValue && entry.type.value === typeValue) ?? null;
}

const normalise = (text: string): string => text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();

/** How well `text` matches `query` (higher is better; 0 = no match). */
function score(text: string, query: string): number {
  const candidate = normalise(text);
  if (candidate === query) return 4;
  if (candidate.startsWith(query)) return 3;
  if (candidate.split(' ').some((word) => word.startsWith(query))) return 2;
  return candidate.includes(query) ? 1 : 0;
}

/**
 * Entries matching `query` by name, synonym, code value or category, best
 * first (exact, prefix, word prefix, substring; names before synonyms); an
 * empty query lists everything.
 */
export function searchSegmentCodes(query: string, limit = 50): SegmentCodeEntry[] {
  const q = normalise(query);
  if (q.length === 0) return segmentCodes.slice(0, limit);
  const ranked: Array<{ entry: SegmentCodeEntry; rank: number; order: number }> = [];
  segmentCodes.forEach((entry, order) => {
    const byName = score(entry.type.meaning, q) * 10;
    const bySynonym = Math.max(0, ...entry.synonyms.map((synonym) => score(synonym, q))) * 9;
    const byCode = entry.type.value === q ? 40 : entry.type.value.startsWith(q) ? 15 : 0;
    const byCategory = score(entry.category.meaning, q) * 2;
    const rank = Math.max(byName, bySynonym, byCode, byCategory);
    if (rank > 0) ranked.push({ entry, rank, order });
  });
  ranked.sort((a, b) => b.rank - a.rank || a.order - b.order);
  return ranked.slice(0, limit).map((item) => item.entry);
}
