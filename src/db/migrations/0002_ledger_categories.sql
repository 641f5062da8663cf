-- National key-population categories (重点人群); a county may add its own rows.
INSERT INTO "category" ("county_code", "code", "name_zh", "name_en", "key", "synonyms", "sort") VALUES
  ('', 'elderly', '65岁以上老年人', 'Elderly (65+)', true, '{老年人,老人,65岁以上,高龄老人,高龄}', 10),
  ('', 'living_alone', '独居（孤寡）老人', 'Living alone', true, '{独居,孤寡,孤寡老人,独居老人,空巢,空巢老人,五保}', 20),
  ('', 'chronic', '慢性病患者', 'Chronic disease', true, '{慢性病,慢病,基础病,基础疾病,有基础疾病}', 30),
  ('', 'severe_disease', '严重慢性病或大病患者', 'Severe or serious disease', true, '{严重慢性病,大病,重病,重症,严重基础疾病,重大疾病}', 40),
  ('', 'pregnant', '孕产妇', 'Pregnant or postpartum', true, '{孕妇,孕产妇,产妇,怀孕}', 50),
  ('', 'infant', '婴幼儿', 'Infant or young child', true, '{婴幼儿,婴儿,幼儿,儿童,一小,3岁以下}', 60),
  ('', 'disabled', '残疾人', 'Disabled', true, '{残疾,残疾人,残障}', 70);
